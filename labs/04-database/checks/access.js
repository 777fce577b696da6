// @ts-check
import { appAccount, explainFailure, parseJson, readEntry, writeEntry } from './guestbook.js';

/**
 * Step "Let the application tier in, and only it": each application server saves an entry that the other reads
 * back, so both reach db-01 and may read and write; then a client that says it is web-01 (10.0.0.21), with the
 * application's own user and password, must get MySQL's ERROR 1130: no account names a web server's host.
 * (The miniature database takes the client's host from what the client says: see kit/db/README.md.)
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
export default async function check(lab) {
  await lab.expectUp('db-01', 'app-01', 'app-02');
  const stamp = new Date().toISOString();
  const saved = [];
  for (const [writer, reader] of [['app-01', 'app-02'], ['app-02', 'app-01']]) {
    const message = `Written through ${writer} by the check of step "Let the application tier in", ${stamp}.`;
    const { id, response } = await writeEntry(lab, writer, 'lab check', message);
    if (id === undefined) throw new Error(`${writer} could not save an entry. ${explainFailure(writer, response)}`);
    const entry = await readEntry(lab, reader, id);
    if (entry?.message !== message) {
      throw new Error(`${writer} saved entry ${id}, but ${reader} does not find it: both application servers must use the same` +
        ' database, db-01. Does `lab logs ' + reader + '` say why?');
    }
    saved.push(`${writer} saved entry ${id} and ${reader} read it back`);
  }

  const web = 'web-01';
  const webHost = lab.network.hosts[web];
  const { user, password, database } = appAccount(lab);
  const answer = await lab.request('/ping', {
    via: 'db-01:3306', method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, password, database, host: webHost }),
  });
  const reply = parseJson(answer.body);
  const as = `${web} (${webHost}), connecting as '${user}' with the application's password,`;
  if (answer.status === 0) throw new Error(`${saved.join('; ')}; but db-01:3306 did not answer a client from ${web}: ${answer.error}.`);
  if (reply?.alive) {
    throw new Error(`${as} was let in: an account of db-01 matches ${web}'s host, such as 'app'@'%' or 'app'@'10.0.0.%'.` +
      ' Give the application one account per application server, \'app\'@\'10.0.0.31\' and \'app\'@\'10.0.0.32\', and no wider one,' +
      ' then run `lab restart db-01`.');
  }
  if (reply?.errno !== 1130) {
    throw new Error(`${as} got ${reply?.error ?? `HTTP ${answer.status}`}, where MySQL's answer to a host that no account names` +
      ` is ERROR 1130. An account of db-01 matches ${webHost} (a host pattern with % in it?), and only the user name or the` +
      ' password kept it out this time. Name each application server\'s address instead, then run `lab restart db-01`.');
  }
  return `${saved.join('; ')}. ${as} was refused: ${reply.error}`;
}
