// @ts-check
/**
 * The running daemon: the tracked scripts, the instances, and the port where advertisements arrive, wired
 * together; a clean stop on SIGTERM (a master hands over at once with a priority 0 advertisement).
 */
import { createPartitionCheck } from '../lib/partitions.js';
import { createReporter } from '../lib/report.js';
import { planAddresses } from './addresses.js';
import { listenForAdverts } from './adverts.js';
import { VrrpInstance } from './instance.js';
import { log } from './log.js';
import { prepareCheck } from './script-commands.js';
import { ScriptTracker } from './track-script.js';

/**
 * @typedef {object} Context
 * @property {import('../lib/network.js').Network} network
 * @property {string} file   the configuration file, for messages
 * @property {NodeJS.ProcessEnv} env
 */

/**
 * The server this daemon runs on, whose port 80 HAProxy holds: LAB_SERVER, or else the first unicast_src_ip.
 * @param {import('./config.js').KeepalivedConfig} config
 * @param {NodeJS.ProcessEnv} env
 */
export function homeOf(config, env) {
  return env.LAB_SERVER || config.instances[0].unicastSrcIp.address;
}

/**
 * Looks every instance's addresses up in the network table; throws a ConfigError for a missing one.
 * @param {import('./config.js').KeepalivedConfig} config
 * @param {Context} context
 */
export function planInstances(config, { network, file, env }) {
  const home = homeOf(config, env);
  const table = env.LAB_NETWORK || 'the network table (none given: set LAB_NETWORK)';
  return config.instances.map((instance) => planAddresses(instance, { network, home, file, table }));
}

/**
 * @param {import('./config.js').KeepalivedConfig} config
 * @param {Context} context
 */
export async function runDaemon(config, context) {
  const { network, env } = context;
  const home = homeOf(config, env);
  const plans = planInstances(config, context);
  const reporter = createReporter('keepalived', env);
  log(`Starting keepalived (lab miniature) on ${home}, router_id ${config.routerId ?? home}`);

  // One report per instance per turn of the event loop, with its final state: stepping down changes the addresses
  // and then the state, and the supervisor needs only the result.
  /** @type {Set<VrrpInstance>} */
  const changed = new Set();
  const report = (/** @type {VrrpInstance} */ instance) => {
    if (changed.size === 0) setImmediate(() => {
      for (const each of changed) reporter.send({ vrrp: each.summary() });
      changed.clear();
    });
    changed.add(instance);
  };
  // A lab partition hides a peer's port 112 behind a cut (lib/partitions.js); the table names the port's server.
  const cutFrom = createPartitionCheck(network, env);
  const cutOff = (/** @type {import('../lib/network.js').Endpoint} */ peer) => {
    const name = network.nameOf(peer.port);
    return name === undefined ? undefined : cutFrom(name);
  };
  const scriptsChanged = () => instances.forEach((instance) => instance.scriptsChanged());
  const trackers = new Map(config.scripts.map((script) =>
    [script.name, new ScriptTracker(script, prepareCheck(script.command, { network, home }), scriptsChanged)]));
  const instances = config.instances.map((instanceConfig, i) => new VrrpInstance({
    config: instanceConfig,
    version: config.version,
    tracked: instanceConfig.trackScripts.map((tracked) => /** @type {ScriptTracker} */ (trackers.get(tracked.address))),
    addresses: plans[i],
    onChange: report,
    cutOff,
  }));

  /** @type {Map<string, { endpoint: import('../lib/network.js').Endpoint, instances: VrrpInstance[] }>} */
  const listeners = new Map();
  instances.forEach((instance, i) => {
    const { listen } = plans[i];
    const key = `${listen.host}:${listen.port}`;
    if (!listeners.has(key)) listeners.set(key, { endpoint: listen, instances: [] });
    listeners.get(key)?.instances.push(instance);
  });
  const servers = await Promise.all([...listeners.values()].map(({ endpoint, instances: here }) =>
    listenForAdverts(endpoint, (advert) => here.find((x) => x.config.virtualRouterId === advert.virtualRouterId)?.receive(advert))));

  for (const instance of instances) instance.start();
  for (const tracker of trackers.values()) tracker.start();
  log('Startup complete');
  reporter.ready();

  const stop = async () => {
    log('Stopping');
    for (const tracker of trackers.values()) tracker.stop();
    await Promise.all(instances.map((instance) => instance.stop()));
    for (const server of servers) server.close();
    log('Stopped');
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
