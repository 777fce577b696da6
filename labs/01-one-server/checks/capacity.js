// @ts-check
import { describeAnswer } from './site.js';

const VISITORS = 40;

/**
 * Step "Measure what one server can take": 40 visitors ask for the guestbook at the same moment, and every one of
 * them gets it. With `worker_connections 16` nginx closes the connections over its limit at once.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
export default async function check(lab) {
  await lab.expectUp('web-01');
  const first = await lab.request('/');
  if (first.status !== 200 || !first.appServer) {
    throw new Error(`\`/\` answered ${describeAnswer(first)}${first.appServer ? '' : ' without the application'}: finish the` +
      ' step "Pass the dynamic pages to the application" first, so that there is a guestbook to measure.');
  }
  const started = Date.now();
  const answers = await Promise.all(Array.from({ length: VISITORS }, () => lab.request('/')));
  const tookMs = Date.now() - started;
  const failed = answers.filter((answer) => answer.status !== 200);
  if (failed.length > 0) {
    throw new Error(`${failed.length} of ${VISITORS} visitors asking for \`/\` at once got no page (${reasons(failed)}).` +
      ' A connection closed before any answer is one that nginx would not take: `lab logs web-01 nginx` says' +
      ' `worker_connections are not enough`. Raise `worker_connections` in the `events` block of nginx.conf (512 is' +
      ' nginx\'s default), then run `lab restart web-01 nginx`.');
  }
  const slowest = Math.max(...answers.map((answer) => answer.ms));
  return `${VISITORS} visitors asked for the guestbook at once, and all ${VISITORS} got it within ${(tookMs / 1000).toFixed(1)} s` +
    ` (the slowest waited ${Math.round(slowest)} ms). Try \`lab load -c 50 /\` to see the wait grow with the crowd.`;
}

/**
 * `12 × connection reset, 1 × HTTP 502 Bad Gateway`.
 * @param {import('../../kit/lab/lab-http.js').LabResponse[]} answers
 */
function reasons(answers) {
  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const answer of answers) counts.set(describeAnswer(answer), (counts.get(describeAnswer(answer)) ?? 0) + 1);
  return [...counts].map(([reason, count]) => `${count} × ${reason}`).join(', ');
}
