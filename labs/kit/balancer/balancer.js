// @ts-check
/**
 * Starts a loaded configuration: a Backend per backend (and listen) section, a Frontend per frontend (and listen)
 * section, the health checks; and stops it all again.
 */
import { Backend } from './backend.js';
import { Frontend } from './frontend.js';
import { startHealthChecks } from './health.js';

/**
 * @param {import('./config.js').Config} config
 * @param {{ log: (line: string) => void, reporter: { served(): void, ready(): void } }} io
 */
export async function startBalancer(config, { log, reporter }) {
  /** @type {import('./frontend.js').Balancer} */
  const balancer = {
    log, reporter, config, connections: 0, frontends: [],
    backends: new Map(config.backends.map((b) => [b.name, new Backend(b)])),
  };
  for (const frontendConfig of config.frontends) {
    const frontend = new Frontend(frontendConfig, balancer);
    balancer.frontends.push(frontend);
    await frontend.listen();
  }
  const stopChecks = startHealthChecks([...balancer.backends.values()], log);
  reporter.ready();

  /**
   * Stops listening, lets the requests in progress finish for up to `graceMs`, then cuts what is left.
   * HAProxy's SIGTERM stops at once and its SIGUSR1 stops gracefully; the miniature does the graceful stop for both.
   * @param {number} graceMs
   */
  const stop = async (graceMs) => {
    stopChecks();
    for (const frontend of balancer.frontends) frontend.close();
    const deadline = Date.now() + graceMs;
    while (balancer.frontends.some((f) => f.inFlight > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const frontend of balancer.frontends) frontend.closeAll();
    for (const backend of balancer.backends.values()) for (const server of backend.servers) server.connections.closeIdle();
  };
  return { balancer, stop };
}
