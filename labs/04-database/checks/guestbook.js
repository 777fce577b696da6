// @ts-check
/**
 * What this lab's checks share: writing and reading guestbook entries through one application server, and saying
 * in plain words why the application could not. Not a check itself: no step of lab.json names it.
 */

/**
 * @typedef {import('../../kit/lab/check-context.js').CheckContext} Lab
 * @typedef {import('../../kit/lab/lab-http.js').LabResponse} LabResponse
 */

/**
 * The lab address of an application server, from its `--port` in the topology: `app-01:3000`.
 * @param {Lab} lab
 * @param {string} server
 */
export function appAddress(lab, server) {
  const args = lab.topology.servers.find((s) => s.name === server)?.services[0]?.args ?? [];
  const port = args[args.indexOf('--port') + 1] ?? '3000';
  return `${server}:${port}`;
}

/**
 * The database account that the application servers use, from their flags in the topology.
 * @param {Lab} lab
 */
export function appAccount(lab) {
  const args = lab.topology.servers.find((s) => s.name === 'app-01')?.services[0]?.args ?? [];
  const flag = (/** @type {string} */ name, /** @type {string} */ fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  return { user: flag('--db-user', 'app'), password: flag('--db-password', ''), database: flag('--database', 'shop') };
}

/**
 * Adds an entry through one application server, as the guestbook's JSON API does it.
 * @param {Lab} lab
 * @param {string} server app-01 or app-02
 * @param {string} name
 * @param {string} message
 * @returns {Promise<{ id: number | undefined, response: LabResponse }>} id: the entry's, when the app said it is saved
 */
export async function writeEntry(lab, server, name, message) {
  const response = await lab.request('/entries', {
    via: appAddress(lab, server), method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, message }),
  });
  const id = response.status === 201 ? parseJson(response.body)?.entry?.id : undefined;
  return { id: typeof id === 'number' ? id : undefined, response };
}

/**
 * The entry with this id, read through one application server: undefined when there is none (404); an Error,
 * saying why, when the application could not look.
 * @param {Lab} lab
 * @param {string} server
 * @param {number} id
 * @returns {Promise<{ message?: string } | undefined>}
 */
export async function readEntry(lab, server, id) {
  const response = await lab.request(`/api/entries/${id}`, { via: appAddress(lab, server) });
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw new Error(`${server} could not read entry ${id}. ${explainFailure(server, response)}`);
  return parseJson(response.body)?.entry;
}

/**
 * Why an application server could not save or show an entry, and what to do, from its answer.
 * @param {string} server
 * @param {LabResponse} response
 */
export function explainFailure(server, response) {
  if (response.status === 0) return `${server} did not answer (${response.error}): is it up? See \`lab ps\`.`;
  const reason = String(parseJson(response.body)?.reason ?? `HTTP ${response.status} ${response.statusText}`);
  const errno = Number(/ERROR (\d+)/.exec(reason)?.[1]);
  const host = `${server}'s address`;
  if (response.status === 503 && !errno) {
    return `${server} answered 503: ${reason}. db-01 does not listen where the application servers connect, 10.0.0.41:3306.` +
      ' Set `bind-address` in db-01/my.cnf to db-01\'s own address, 10.0.0.41, then run `lab restart db-01`.';
  }
  const what = {
    1130: `no account of db-01 names ${host}. Add one to db-01/grants.sql (CREATE USER, then GRANT SELECT, INSERT ON shop.*),` +
      ' then run `lab restart db-01`.',
    1045: `an account names ${host}, but not with the user and password that the application sends.` +
      ' Give it the same password as the account of app-01 in the starter, then run `lab restart db-01`.',
    1044: `the account of ${host} has no privilege on the database shop: GRANT SELECT, INSERT ON shop.* to it.`,
    1142: `the account of ${host} lacks a privilege the guestbook needs: GRANT SELECT, INSERT ON shop.* to it.`,
  }[errno];
  return `${server} answered ${response.status}: ${reason}.${what ? ` That means that ${what}` : ''}`;
}

/**
 * @param {string} text
 * @returns {any} the JSON value, or undefined when the text is not JSON
 */
export function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
