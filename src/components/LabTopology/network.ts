import type { LabState } from '@site/src/runtime/types';

/** What the topology says about the network and the virtual IP, worked out once from the supervisor's state. */
export interface NetworkView {
  /** Each cut once, as the state gives it: `["lb-01", "lb-02"]`. */
  cuts: readonly (readonly [string, string])[];
  /** For each server, the servers it cannot reach. */
  cutOff: ReadonlyMap<string, readonly string[]>;
  /** The servers that claim MASTER when more than one does (a split brain); empty otherwise. */
  splitBrain: readonly string[];
}

const NOTHING: NetworkView = { cuts: [], cutOff: new Map(), splitBrain: [] };

export function networkView(state: LabState | null): NetworkView {
  if (!state) return NOTHING;
  // A pair that is not two names would be a bug in the supervisor; it is skipped rather than drawn half.
  const cuts = (state.partitions ?? []).filter((pair): pair is [string, string] => pair.length === 2);
  const cutOff = new Map<string, string[]>();
  for (const [a, b] of cuts) {
    cutOff.set(a, [...(cutOff.get(a) ?? []), b]);
    cutOff.set(b, [...(cutOff.get(b) ?? []), a]);
  }
  const claimants = state.vip?.claimants ?? [];
  // One claimant is the normal case, which "holds the VIP" already says; two or more is what the learner must see.
  return { cuts, cutOff, splitBrain: claimants.length > 1 ? claimants : [] };
}

/** "lb-01 and lb-02", "lb-01, lb-02 and lb-03". */
export function listNames(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
