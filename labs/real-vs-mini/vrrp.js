// @ts-check
/**
 * keepalived against the miniature vrrp daemon, on the same keepalived.conf files, with `advert_int 1` (VRRPv2)
 * and `0.1` (VRRPv3): failover when the master's power goes, preemption when it comes back, the overlap of two
 * masters while it does, a tracked script (curl of the router's own balancer) moving the address, and `nopreempt`.
 * The real and the miniature runs go at the same time: they share nothing.
 */
import { sleep } from './common.js';
import { MiniRouters, RealRouters } from './routers.js';

/** @typedef {import('./common.js').Finding} Finding */
/** @typedef {import('./routers.js').Routers} Routers */
/** @typedef {import('./routers.js').Server} Server */

const IPS = { 'lb-01': '10.0.0.11', 'lb-02': '10.0.0.12' };
const PRIORITY = { 'lb-01': 101, 'lb-02': 100 };
/** How far past the protocol's figure a daemon may be: its start-up, a loaded machine's scheduling. */
const SLACK = 0.6;
const MASTER = /Entering MASTER STATE/;
const BACKUP = /Entering BACKUP STATE/;

/**
 * A keepalived.conf for one router: lb-01 tracks its balancer with curl (weight -20, every second).
 * @param {Server} server
 * @param {number} advertInt
 * @param {boolean} nopreempt
 */
export function routerConf(server, advertInt, nopreempt) {
  const peer = server === 'lb-01' ? 'lb-02' : 'lb-01';
  const track = server === 'lb-01';
  return `${[
    'global_defs {', `    router_id ${server}`, '    enable_script_security', '    script_user root',
    ...(Number.isInteger(advertInt) ? [] : ['    vrrp_version 3']), '}',
    'vrrp_script chk_balancer {', `    script "/usr/bin/curl -sf -m 1 -o /dev/null http://${IPS[server]}:80/"`, '    interval 1',
    '    weight -20', '    fall 1', '    rise 1', '}',
    'vrrp_instance VI_1 {', `    state ${server === 'lb-01' && !nopreempt ? 'MASTER' : 'BACKUP'}`, '    interface eth0',
    '    virtual_router_id 51', `    priority ${PRIORITY[server]}`, `    advert_int ${advertInt}`,
    ...(nopreempt ? ['    nopreempt'] : []),
    `    unicast_src_ip ${IPS[server]}`, '    unicast_peer {', `        ${IPS[peer]}`, '    }',
    '    virtual_ipaddress {', '        10.0.0.100/24 dev eth0', '    }',
    ...(track ? ['    track_script {', '        chk_balancer', '    }'] : []), '}',
  ].join('\n')}\n`;
}

/**
 * Master_Down_Interval of a backup, in seconds: 3 x advert_int + Skew_Time (RFC 3768 for version 2, 5798 for 3).
 * @param {number} advertInt
 * @param {number} priority
 */
export function masterDown(advertInt, priority) {
  const skew = Number.isInteger(advertInt) ? (256 - priority) / 256 : ((256 - priority) * advertInt) / 256;
  return 3 * advertInt + skew;
}

/**
 * The time of the first line of a server's log that matches, printed at or after `since`.
 * @param {Routers} routers
 * @param {Server} server
 * @param {RegExp} pattern
 * @param {number} since
 * @param {number} timeoutMs
 */
async function lineTime(routers, server, pattern, since, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = routers.lines(server).find((l) => l.time >= since && pattern.test(l.text));
    if (line) return line.time;
    if (Date.now() > deadline) {
      const log = routers.lines(server).slice(-15).map((l) => `  ${new Date(l.time).toISOString()} ${l.text}`).join('\n');
      throw new Error(`${server}: no "${pattern.source}" within ${timeoutMs} ms; its last lines:\n${log}`);
    }
    await sleep(10);
  }
}

/** @param {number} ms */
const secondsOf = (ms) => Math.round(ms / 10) / 100;

/**
 * lb-01 first, until it is MASTER, then lb-02: started together, a starved lb-01 could lose the first election,
 * and with `nopreempt` never win the address back.
 * @param {Routers} routers
 * @param {number} advertInt
 * @param {boolean} nopreempt
 * @param {number} timeout
 */
async function start(routers, advertInt, nopreempt, timeout) {
  const began = Date.now();
  await routers.powerOn('lb-01', routerConf('lb-01', advertInt, nopreempt));
  await lineTime(routers, 'lb-01', MASTER, began, timeout);
  await routers.powerOn('lb-02', routerConf('lb-02', advertInt, nopreempt));
  await lineTime(routers, 'lb-02', BACKUP, began, timeout);
}

/**
 * With preemption: lb-01 master, powered off (failover), powered on (preemption, overlap), its balancer killed
 * (the tracked script moves the address).
 * @param {Routers} routers
 * @param {number} advertInt
 */
async function preemptRun(routers, advertInt) {
  const timeout = 5000 + 3000 * advertInt * 4;
  await start(routers, advertInt, false, timeout);
  await sleep(1500 + 2000 * advertInt);
  const cut = Date.now();
  await routers.powerOff('lb-01');
  const failover = (await lineTime(routers, 'lb-02', MASTER, cut, timeout)) - cut;
  await sleep(1000);
  const back = Date.now();
  await routers.powerOn('lb-01', routerConf('lb-01', advertInt, false));
  // From its daemon's start, not the balancer's before it: a program's start-up is not the protocol.
  const started = await lineTime(routers, 'lb-01', /Entering BACKUP STATE \(init\)/, back, timeout);
  const retaken = await lineTime(routers, 'lb-01', MASTER, back, timeout);
  const steppedDown = await lineTime(routers, 'lb-02', BACKUP, back, timeout);
  // The script's first result, then a steady state.
  await sleep(1500 + 2000 * advertInt);
  const killed = Date.now();
  await routers.killBalancer('lb-01');
  const tracked = (await lineTime(routers, 'lb-02', MASTER, killed, timeout)) - killed;
  return { failover: secondsOf(failover), preempt: secondsOf(retaken - started), overlap: Math.max(0, steppedDown - retaken), tracked: secondsOf(tracked) };
}

/**
 * With nopreempt on both: lb-01 master, powered off, powered on again: does it take the address back?
 * @param {Routers} routers
 * @param {number} advertInt
 */
async function nopreemptRun(routers, advertInt) {
  const timeout = 5000 + 3000 * advertInt * 4;
  await start(routers, advertInt, true, timeout);
  await sleep(500 + 2000 * advertInt);
  const cut = Date.now();
  await routers.powerOff('lb-01');
  await lineTime(routers, 'lb-02', MASTER, cut, timeout);
  const back = Date.now();
  await routers.powerOn('lb-01', routerConf('lb-01', advertInt, true));
  await sleep(1000 + 2000 * masterDown(advertInt, PRIORITY['lb-01']));
  const took = routers.lines('lb-01').some((l) => l.time >= back && MASTER.test(l.text));
  return took ? 'lb-01 took it back' : 'lb-02 kept it';
}

/**
 * One side's figures for both intervals.
 * @param {() => Promise<Routers>} open
 */
async function side(open) {
  /** @type {Record<string, any>} */
  const results = {};
  for (const advertInt of [1, 0.1]) {
    for (const [name, runIt] of /** @type {const} */ ([['preempt', preemptRun], ['nopreempt', nopreemptRun]])) {
      const routers = await open();
      try {
        results[`${name}-${advertInt}`] = await runIt(routers, advertInt);
      } finally {
        await routers.close();
      }
    }
  }
  return results;
}

/** @returns {Promise<Finding[]>} */
export async function vrrpFindings() {
  const [real, mini] = await Promise.all([side(async () => new RealRouters()), side(() => MiniRouters.open())]);
  /** @type {Finding[]} */
  const findings = [];
  for (const advertInt of [1, 0.1]) {
    const version = Number.isInteger(advertInt) ? 'VRRPv2' : 'VRRPv3';
    const where = `advert_int ${advertInt} (${version}), priorities 101 and 100`;
    const down2 = masterDown(advertInt, PRIORITY['lb-02']);
    const down1 = masterDown(advertInt, PRIORITY['lb-01']);
    const r = real[`preempt-${advertInt}`];
    const m = mini[`preempt-${advertInt}`];
    const round = (/** @type {number} */ x) => Math.round(x * 100) / 100;
    /** @param {string} id @param {string} scenario @param {string} figure @param {string} key @param {import('./common.js').Range} range @param {string} why */
    const push = (id, scenario, figure, key, range, why) => findings.push({ family: 'vrrp', id: `vrrp/${id}-${advertInt}`,
      scenario: `${scenario}; ${where}`, figure, real: r[key], mini: m[key], range, why });
    push('failover', "the master's power cut", 'time to the backup becoming MASTER, s', 'failover',
      { min: round(down2 - advertInt), max: round(down2 + SLACK) },
      `Master_Down_Interval ${round(down2)} s after the last advertisement, sent 0 to advert_int before the cut; +${SLACK} s`);
    push('preemption', 'the old master powered on again', 'time from its "BACKUP STATE (init)" to MASTER, s', 'preempt',
      { min: round(down1 - 0.1), max: round(down1 + SLACK) },
      `it starts as BACKUP, ignores the lower priority and takes over after its own Master_Down_Interval ${round(down1)} s; -0.1 s, +${SLACK} s`);
    push('overlap', 'the same preemption', 'two MASTERs at once, ms', 'overlap', { min: 0, max: Math.round(advertInt * 1000) },
      'the old master steps down at the first advertisement of the new one, sent as it enters MASTER: under one advert_int');
    push('track', "the master's balancer killed, tracked by curl every 1 s, weight -20", 'time to the backup becoming MASTER, s',
      'tracked', { min: round(down2 - advertInt), max: round(1 + down2 + SLACK) },
      `the script fails within its 1 s interval; the backup then ignores the lower priority and waits its Master_Down_Interval; +${SLACK} s`);
    findings.push({ family: 'vrrp', id: `vrrp/nopreempt-${advertInt}`, scenario: `nopreempt on both, the master powered off and on; ${where}`,
      figure: 'who holds the address after 2 x Master_Down_Interval', real: real[`nopreempt-${advertInt}`],
      mini: mini[`nopreempt-${advertInt}`], range: { exact: 'lb-02 kept it' }, why: 'nopreempt: a returning higher priority waits' });
  }
  return findings;
}
