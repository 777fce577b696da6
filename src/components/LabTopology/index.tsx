import React, { useEffect, useState } from 'react';
import type { LabState, ServerState } from '@site/src/runtime/types';
import { recentShares, TRAFFIC_WINDOW_MS, type CountsAt } from '@site/src/runtime/traffic';
import ServerCard, { type ServerAction, type TopologyServer } from './ServerCard';
import { listNames, networkView } from './network';
import styles from './styles.module.css';

export type { ServerAction, TopologyServer };

interface Props {
  servers: readonly TopologyServer[];
  /** The supervisor's latest state; null until the lab runs. */
  state: LabState | null;
  /** The request counts seen lately: each server's share is that of the last few seconds, what a learner watches. */
  traffic?: readonly CountsAt[];
  /** Called when the learner picks an action for a server; absent while the lab is not running. */
  onAction?: (server: string, action: ServerAction) => void;
}

const ROLE_ORDER: readonly ServerState['role'][] = ['balancer', 'web', 'app', 'database'];
const ROLE_LABEL: Record<ServerState['role'], string> = {
  balancer: 'Load balancers',
  web: 'Web servers',
  app: 'Application servers',
  database: 'Database',
};

/**
 * The lab's servers, tier by tier, with their state and their programs' states, their share of the traffic, the
 * virtual IP's holder, the network cuts and a split brain.
 */
export default function LabTopology({ servers, state, traffic = [], onAction }: Props): React.JSX.Element {
  const live = new Map(state?.servers.map((s) => [s.name, s]));
  const network = networkView(state);
  const now = useClock(state !== null);
  const vip = state?.vip ?? null;

  return (
    <div className={styles.topology} aria-label="Lab topology" role="group">
      {/* Announced as they change: a failover, a cut, a split brain are what the learner is watching for. */}
      <div className={styles.notes} aria-live="polite">
        {vip && (
          <p className={styles.note}>
            Virtual IP <code>{vip.address}</code>{' '}
            {vip.owner ? <>held by <strong>{vip.owner}</strong></> : <strong>held by nobody</strong>}
          </p>
        )}
        {network.cuts.map(([a, b]) => (
          <p key={`${a}|${b}`} className={styles.note}>
            <strong>{a}</strong> <span aria-hidden="true">✂</span><span className="sr-only">and</span> <strong>{b}</strong>: network cut
          </p>
        ))}
        {vip && network.splitBrain.length > 0 && (
          <p className={styles.alarm}>
            <strong>Split brain:</strong> {listNames(network.splitBrain)} {network.splitBrain.length === 2 ? 'both' : 'all'} claim{' '}
            <code>{vip.address}</code>
          </p>
        )}
      </div>
      {ROLE_ORDER.map((role) => {
        const tier = servers.filter((s) => s.role === role);
        if (tier.length === 0) return null;
        // The web and app tiers share the requests among their servers; a balancer pair or a database does not.
        const sharesTraffic = role === 'web' || role === 'app';
        const tierShares = sharesTraffic ? recentShares(traffic, now, tier.map((s) => s.name), TRAFFIC_WINDOW_MS) : null;
        return (
          <div key={role} className={styles.tier}>
            <span className={styles.tierName}>{ROLE_LABEL[role]}</span>
            <ul className={styles.servers}>
              {tier.map((server) => (
                <li key={server.name}>
                  <ServerCard
                    server={server}
                    live={live.get(server.name)}
                    holds={vip && vip.owner === server.name ? vip.address : null}
                    claimsMaster={network.splitBrain.includes(server.name)}
                    cutOff={network.cutOff.get(server.name) ?? []}
                    share={tierShares?.get(server.name)}
                    idle={sharesTraffic && state !== null && tierShares === null}
                    onAction={onAction}
                  />
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </div>
  );
}

/** The time, ticking every second while `running`, so that the traffic window slides when no new state arrives. */
function useClock(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}
