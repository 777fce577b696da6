// @ts-check
import { ALL_SERVERS, WEB_SERVERS, direct, outcome } from './tiers.js';

const PAGES_THROUGH_LB = 4;

/**
 * Step "Tell the application who passed the request on": through each web server, the application names that web
 * server (nginx's `proxy_set_header X-Web-Server $hostname;`), in its JSON and on the guestbook page, and the names
 * on the page agree with the X-Served-By and X-App-Server headers of the same answer.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
export default async function check(lab) {
  await lab.expectUp(...ALL_SERVERS);
  for (const web of WEB_SERVERS) {
    const response = await lab.request('/api/entries', { via: direct(web) });
    if (!response.appServer) {
      throw new Error(`GET /api/entries through ${web} did not reach an application server (${outcome(response)}): keep` +
        ` \`location /\` with its \`proxy_pass\` in ${web}/nginx.conf.`);
    }
    const servers = parseServers(response.body);
    if (!servers) {
      throw new Error(`${response.appServer} answered GET /api/entries through ${web} with ${outcome(response)} and no` +
        ` list of servers: \`lab curl -i ${web}/api/entries\` shows the answer.`);
    }
    if (servers.web !== web) throw new Error(misnamed(web, response.appServer, servers.web));
  }

  const seen = [];
  for (const page of await lab.requests(PAGES_THROUGH_LB, '/')) {
    const named = { web: pageName(page.body, 'web'), app: pageName(page.body, 'app') };
    if (page.status !== 200 || !named.web) {
      const what = page.status === 200 ? 'a page without the guestbook\'s line of servers' : outcome(page);
      throw new Error(`GET / through lb-01 answered ${what}, not the guestbook: \`lab curl /\` shows the answer and who gave it.`);
    }
    if (named.web !== page.servedBy || named.app !== page.appServer) {
      throw new Error(`the guestbook says it was served by ${named.web} and ${named.app}, but the answer's headers say` +
        ` ${page.servedBy} (X-Served-By) and ${page.appServer} (X-App-Server): set \`X-Web-Server\` to \`$hostname\`,` +
        ' the same name that `add_header X-Served-By` sends.');
    }
    seen.push(`${named.web} then ${named.app}`);
  }
  return `the application names the web server that passed each request on. Four pages through lb-01 said: ${seen.join('; ')}.`;
}

/**
 * @param {string} web the web server the request went through
 * @param {string} app the application server that answered
 * @param {string} named what the application took for the web server
 */
function misnamed(web, app, named) {
  const fix = `Add \`proxy_set_header X-Web-Server $hostname;\` to \`location /\` in ${web}/nginx.conf (with` +
    ` \`Host $host\` and \`X-Forwarded-For $proxy_add_x_forwarded_for\`), then run \`lab restart ${web}\`.`;
  if (named.startsWith('none')) {
    return `${app} thinks that GET /api/entries came straight to it, but ${web} passed it on: nothing in the request` +
      ` says that a proxy was on the way. ${fix}`;
  }
  if (named.startsWith('a proxy')) {
    return `${app} sees that a proxy passed GET /api/entries on (X-Forwarded-For), but not which one: it says "${named}".` +
      ` ${fix}`;
  }
  return `${app} names the web server "${named}", but the request went through ${web}. Set \`X-Web-Server\` to` +
    ` \`$hostname\`, the web server's own name, in ${web}/nginx.conf, then run \`lab restart ${web}\`.`;
}

/**
 * The `servers` of the application's JSON answer, or null when the body is not such an answer.
 * @param {string} body
 * @returns {{ web: string, app: string, database: string } | null}
 */
function parseServers(body) {
  try {
    const servers = JSON.parse(body).servers;
    return servers && typeof servers.web === 'string' ? servers : null;
  } catch {
    return null;
  }
}

/**
 * A server's name on the guestbook page: `<b class="web">web-01</b>`.
 * @param {string} html
 * @param {'web' | 'app'} tier
 */
function pageName(html, tier) {
  const escaped = new RegExp(`<b class="${tier}">([^<]*)</b>`).exec(html)?.[1];
  return escaped?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&') ?? null;
}
