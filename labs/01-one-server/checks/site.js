// @ts-check
/**
 * What the checks of this lab ask the site, and how they describe its answers. Not a check itself: lab.json names
 * no check "site".
 */

/**
 * @typedef {import('../../kit/lab/lab-http.js').LabResponse} LabResponse
 * @typedef {{ web: string, app: string, database: string }} Servers
 */

/**
 * The three requests a visitor makes: the guestbook's page, its list of entries, and a static file.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
export async function probeSite(lab) {
  return {
    page: await lab.request('/'),
    api: await lab.request('/api/entries?limit=1'),
    file: await lab.request('/static/site.css'),
  };
}

/**
 * `HTTP 404 Not Found`, or `no answer (connection refused)`.
 * @param {LabResponse} response
 */
export function describeAnswer(response) {
  return response.status === 0 ? `no answer (${response.error})` : `HTTP ${response.status} ${response.statusText}`.trim();
}

/**
 * The servers that the guestbook's JSON names, or null when the answer is not the guestbook's.
 * @param {LabResponse} response
 * @returns {Servers | null}
 */
export function guestbookServers(response) {
  if (response.status !== 200) return null;
  try {
    const servers = JSON.parse(response.body).servers;
    return servers && typeof servers.web === 'string' ? servers : null;
  } catch {
    return null;
  }
}

/**
 * Whether the answer is nginx's own bare error page, signed `<center>nginx</center>` (a real nginx adds its
 * version), rather than a page of the site.
 * @param {LabResponse} response
 */
export function isBareErrorPage(response) {
  return /<center>nginx(\/[\d.]+)?<\/center>/.test(response.body);
}
