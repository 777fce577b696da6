// @ts-check
/**
 * What the checks of this lab share: reading the virtual IP's state from the supervisor (who holds it, who claims
 * MASTER, each router's priority), making sure the cluster is in its normal shape before a check breaks something
 * (one MASTER, lb-01, with the higher priority), and putting it back in that shape afterwards.
 *
 * With `nopreempt` the address stays wherever it is, so "lb-01 holds it" cannot be taken for granted: when lb-02
 * holds it while lb-01 is healthy, a check hands it back the way an operator would, by restarting lb-02's
 * keepalived (a stopping master sends priority 0, and lb-01 takes over after its skew time).
 */

/** advert_int of lb-01's keepalived.conf, which lb-02's must repeat. */
export const ADVERT_INT = 1;
/** Generous: a failover takes about 3.6 s, more on two busy shared cores. */
export const FAILOVER_LIMIT_MS = 12_000;

/**
 * @typedef {import('../../kit/lab/check-context.js').CheckContext} Lab
 * @typedef {import('../../kit/lab/client.js').LabStateJson} LabState
 */

/**
 * Master_Down_Interval of a backup (VRRP version 2, keepalived's default): 3 x advert_int + (256 - priority) / 256.
 * @param {number} priority
 */
export function masterDownInterval(priority) {
  return 3 * ADVERT_INT + (256 - priority) / 256;
}

/**
 * A router's last VRRP report, from the state.
 * @param {LabState} state
 * @param {string} name
 */
export function vrrpOf(state, name) {
  const server = state.servers.find((s) => s.name === name);
  return server && 'vrrp' in server ? server.vrrp?.[0] : undefined;
}

/**
 * Waits until `server` holds the virtual IP; returns the state then, or throws `failure`.
 * @param {Lab} lab
 * @param {string} server
 * @param {{ timeoutMs?: number, failure: () => string }} options
 */
export async function waitForOwner(lab, server, { timeoutMs = FAILOVER_LIMIT_MS, failure }) {
  try {
    return await lab.waitFor(async () => {
      const state = await lab.state();
      return state.vip?.owner === server && state;
    }, { timeoutMs, intervalMs: 100, what: `${server} to hold the virtual IP` });
  } catch {
    throw new Error(failure());
  }
}

/**
 * Waits until a router's keepalived runs and has settled as BACKUP or MASTER (not FAULT, not starting).
 * @param {Lab} lab
 * @param {string} server
 */
export async function waitForVrrp(lab, server) {
  await lab.waitFor(async () => ['BACKUP', 'MASTER'].includes(vrrpOf(await lab.state(), server)?.state ?? ''),
    { timeoutMs: 10_000, intervalMs: 100, what: `${server}'s keepalived to be BACKUP or MASTER` }).catch(() => {
    throw new Error(`${server}'s keepalived did not settle as BACKUP or MASTER within 10 s: see \`lab logs ${server} keepalived\`.`);
  });
}

/**
 * Every request through the virtual IP succeeds (a few tries while the new master's HAProxy warms up).
 * @param {Lab} lab
 * @param {string} holder who holds the address, for the message
 */
export async function expectRequestsSucceed(lab, holder) {
  /** @type {import('../../kit/lab/lab-http.js').LabResponse[]} */
  let failed = [];
  await lab.waitFor(async () => {
    failed = (await lab.requests(6, '/')).filter((response) => response.status !== 200);
    return failed.length === 0;
  }, { timeoutMs: 6000, intervalMs: 250, what: 'requests through the virtual IP to succeed' }).catch(() => {
    throw new Error(`${holder} holds ${lab.topology.entry}, but ${failed.length} of 6 requests through it failed` +
      ` (${failed[0]?.error ?? `HTTP ${failed[0]?.status}`}). Is HAProxy up on ${holder}? \`lab ps\`, \`lab logs ${holder} haproxy\`.`);
  });
}

/**
 * The cluster's normal shape, before a check breaks anything: every server up, no network cut, one MASTER,
 * lb-01 with a higher priority than lb-02, and lb-01 holding the address (handed back to it if needed).
 * @param {Lab} lab
 */
export async function expectLb01Master(lab) {
  await lab.expectUp('lb-01', 'lb-02', 'web-01', 'web-02');
  const cuts = (await lab.state()).partitions ?? [];
  if (cuts.length > 0) {
    throw new Error(`the network between ${cuts[0].join(' and ')} is cut: run \`lab heal\`, then check again.`);
  }
  /** @type {LabState | undefined} */
  let state;
  // Just after `lab up` the routers are still electing (about 4 s, more while a tracked script starts failing).
  await lab.waitFor(async () => {
    state = await lab.state();
    return state.vip?.claimants?.length === 1 && state.vip.owner === state.vip.claimants[0];
  }, { timeoutMs: 15_000, intervalMs: 200, what: 'one MASTER' }).catch(() => {
    const claimants = state?.vip?.claimants ?? [];
    throw new Error(claimants.length > 1
      ? `${claimants.join(' and ')} both claim MASTER: they do not hear each other's advertisements. Give both files the` +
        ' same virtual_router_id (51), advert_int and auth_pass, and on each its own address as unicast_src_ip and the' +
        ' other\'s as unicast_peer; `lab logs lb-02 keepalived` shows what it receives.'
      : `no router holds ${lab.topology.entry} after 15 s: \`lab logs lb-01 keepalived\` and \`lab logs lb-02 keepalived\` say why.`);
  });
  const now = /** @type {LabState} */ (state);
  const [p1, p2] = ['lb-01', 'lb-02'].map((name) => vrrpOf(now, name)?.priority ?? 0);
  if (p2 >= p1) {
    throw new Error(`lb-02 runs with priority ${p2}, ${p2 === p1 ? 'as high as' : 'higher than'} lb-01's ${p1}:` +
      ' lb-01 is the preferred node, and lb-02 must be its backup. Give lb-02 a lower priority (100) and' +
      ' `state BACKUP`, then `lab restart lb-02`.');
  }
  if (now.vip?.owner === 'lb-02') await handBackToLb01(lab);
}

/**
 * Gives the address back to lb-01 when lb-02 holds it (after a failover, with nopreempt): lb-02's keepalived
 * stops, sending priority 0, and starts again as BACKUP.
 * @param {Lab} lab
 */
export async function handBackToLb01(lab) {
  if ((await lab.state()).vip?.owner === 'lb-01') return;
  await waitForVrrp(lab, 'lb-01');
  await lab.stop('lb-02', 'keepalived');
  await waitForOwner(lab, 'lb-01', {
    failure: () => 'lb-02\'s keepalived stopped, but lb-01 did not take the address: see `lab logs lb-01 keepalived`.',
  });
  await lab.start('lb-02', 'keepalived');
  await waitForVrrp(lab, 'lb-02');
}
