// @ts-check
/**
 * What a start of servers says once they have settled: nothing more when every service came up; else, for each one
 * that did not, the end of its output and what to do. `lab up`, `lab start` and `lab restart` print it, and so does
 * the supervisor the lab page starts (`supervise --up --events`), so that the page needs no `lab up` of its own.
 */
import { formatMs } from './output.js';

const LOG_LINES_ON_FAILURE = 8;

/**
 * @param {import('./controller.js').Settled | undefined} settled
 * @param {(server: string, service: string, lines: number) => Promise<string>} tail the end of a service's output
 * @param {ReturnType<typeof import('./output.js').painter>} paint
 * @returns {Promise<{ lines: string[], code: 0 | 1 }>} the lines to print after the state table, and the exit status
 */
export async function explainOutcome(settled, tail, paint) {
  if (!settled || settled.outcome === 'up') return { lines: [], code: 0 };
  /** @type {string[]} */
  const lines = [];
  for (const key of settled.failed) {
    const [server, service] = key.split('/');
    const verdict = settled.outcome === 'timeout' ? 'is not up yet (it did not say it listens)' : 'did not start';
    lines.push(`\n${paint('red', `${key} ${verdict}`)}; the end of its output (\`lab logs ${server} ${service}\`):`);
    const text = await tail(server, service, LOG_LINES_ON_FAILURE);
    lines.push(text.trimEnd().split('\n').map((line) => `  ${line}`).join('\n'));
  }
  lines.push(`\nFix what the output says, then run \`lab start ${settled.failed[0].split('/')[0]}\` (or \`lab up\`).`);
  return { lines, code: 1 };
}

/**
 * The line `lab up` ends with when every server is up.
 * @param {{ id: string, servers: number, entry: string, ms: number }} lab
 */
export function upLine({ id, servers, entry, ms }) {
  return `\n${id} is up: ${servers} server${servers === 1 ? '' : 's'} in ${formatMs(ms)}. Try \`lab curl\` (it goes to ${entry}).`;
}

