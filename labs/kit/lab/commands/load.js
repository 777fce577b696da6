// @ts-check
/**
 * `lab load [-n N] [-c C] [-d SECONDS] [ADDRESS][PATH] [--json]`: a bounded load through the lab network, with live
 * progress, then the number of requests and errors, the latency percentiles, and each server's share of the
 * requests, taken from the servers' own counts (what the balancer really did, not what the client believes).
 */
import { integerOption, parseCommand } from '../args.js';
import { countDeltas, settledState } from '../counts.js';
import { UsageError } from '../errors.js';
import { parseTarget } from '../lab-http.js';
import { findSupervisor } from '../launch.js';
import { LOAD_LIMITS, percentile, runLoad } from '../load-runner.js';
import { formatMs, painter, table } from '../output.js';
import { currentWorkspace, loadWorkspaceNetwork } from '../workspace.js';

const USAGE = 'lab load [-n REQUESTS] [-c CLIENTS] [-d SECONDS] [ADDRESS][PATH] [--json]';

/** @param {string[]} argv */
export async function load(argv) {
  const { values, positionals } = parseCommand(argv, {
    requests: { type: 'string', short: 'n' },
    concurrency: { type: 'string', short: 'c' },
    duration: { type: 'string', short: 'd' },
    json: { type: 'boolean' },
  }, USAGE);
  if (positionals.length > 1) throw new UsageError(`name one address and path at most\nusage: ${USAGE}`);
  const seconds = integerOption(values.duration, { name: '-d', fallback: 0, min: 1, max: LOAD_LIMITS.seconds });
  const requests = integerOption(values.requests, {
    name: '-n', fallback: seconds.value > 0 ? LOAD_LIMITS.requests : 100, min: 1, max: LOAD_LIMITS.requests,
  });
  const concurrency = integerOption(values.concurrency, { name: '-c', fallback: 10, min: 1, max: LOAD_LIMITS.concurrency });
  for (const [flag, option, limit] of /** @type {const} */ ([['-n', requests, 'requests'], ['-c', concurrency, 'concurrency'], ['-d', seconds, 'seconds']])) {
    if (option.capped) process.stderr.write(`lab load: ${flag} is capped at ${LOAD_LIMITS[limit]}\n`);
  }

  const workspace = currentWorkspace();
  const { address, path } = parseTarget(positionals[0], workspace.topology.entry);
  const network = loadWorkspaceNetwork(workspace);
  try {
    network.resolve(address);
  } catch (error) {
    throw new UsageError(/** @type {Error} */ (error).message);
  }
  const client = await findSupervisor(workspace);
  const before = client ? await client.state() : null;
  const total = requests.value;
  const tty = Boolean(process.stdout.isTTY) && !values.json;
  if (!values.json) console.log(`${address}${path}: ${seconds.value ? `for ${seconds.value} s, at most ` : ''}${total} requests from ${concurrency.value} clients`);

  const result = await runLoad(network, {
    address, path, requests: total, concurrency: concurrency.value,
    durationMs: seconds.value ? seconds.value * 1000 : undefined,
    progressMs: tty ? 100 : 1000,
    onProgress: values.json ? undefined : ({ sent, failed, elapsedMs }) => {
      const line = `  ${sent}/${total} sent, ${failed} failed, ${(elapsedMs / 1000).toFixed(1)} s`;
      process.stdout.write(tty ? `\r${line.padEnd(60)}` : `${line}\n`);
    },
  });
  if (tty) process.stdout.write('\n');
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const shares = client && before ? sharesByRole(countDeltas(before, await settledState(client))) : [];
  const latency = { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };

  if (values.json) {
    console.log(JSON.stringify({
      target: `${address}${path}`, requests: result.sent, failed: result.failed, elapsedMs: Math.round(result.elapsedMs),
      errors: Object.fromEntries(result.errors), latencyMs: latency, servers: shares,
    }));
    return result.failed > 0 ? 1 : 0;
  }
  const paint = painter();
  const rate = result.sent / Math.max(result.elapsedMs / 1000, 0.001);
  console.log(`requests  ${result.sent} in ${formatMs(result.elapsedMs)} (${Math.round(rate)} per second)`);
  console.log(`errors    ${result.failed === 0 ? paint('green', 'none')
    : paint('red', [...result.errors].map(([reason, count]) => `${count} × ${reason}`).join(', '))}`);
  console.log(`latency   p50 ${formatMs(latency.p50)}, p95 ${formatMs(latency.p95)}, p99 ${formatMs(latency.p99)}`);
  if (!before) {
    console.log('share     unknown: the lab is not running, so no server counted anything (run `lab up`)');
  } else {
    console.log('share     of the requests each server counted, by tier:');
    const rows = shares.map((s) => [`  ${s.role}`, s.name, String(s.requests), `${Math.round(s.share * 100)}%`, bar(s.share)]);
    console.log(rows.length > 0 ? table(rows).join('\n') : '  no server counted a request');
  }
  return result.failed > 0 ? 1 : 0;
}

/**
 * Each server's part of its tier's requests: the balancers share one total, the web servers another, and so on.
 * Tiers that saw no request are left out.
 * @param {import('../counts.js').ServerCount[]} counts
 */
export function sharesByRole(counts) {
  /** @type {Map<string, number>} */
  const totals = new Map();
  for (const server of counts) totals.set(server.role, (totals.get(server.role) ?? 0) + server.requests);
  return counts
    .filter((server) => (totals.get(server.role) ?? 0) > 0)
    .map((server) => ({ ...server, share: server.requests / (totals.get(server.role) ?? 1) }));
}

/** @param {number} share 0-1 */
function bar(share) {
  return '#'.repeat(Math.round(share * 20));
}
