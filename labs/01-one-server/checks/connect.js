// @ts-check
import { describeAnswer, guestbookServers, probeSite } from './site.js';

/**
 * Step "Pass the dynamic pages to the application": the guestbook answers through nginx and names web-01 as its
 * web, app and database server, and a static file still comes from the disk, without the application.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
export default async function check(lab) {
  await lab.expectUp('web-01');
  const { page, api, file } = await probeSite(lab);
  if (page.status === 502 || page.status === 504) {
    throw new Error(`\`/\` answered ${describeAnswer(page)}: nginx tried to pass it on but could not reach the application.` +
      ' It listens on port 3000 of this machine: write `proxy_pass http://127.0.0.1:3000;`, then run' +
      ' `lab restart web-01 nginx`. `lab logs web-01 nginx` shows the address nginx tried.');
  }
  if (!page.appServer) {
    throw new Error(`\`/\` answered ${describeAnswer(page)} from nginx alone: nothing passes it to the application. Add` +
      ' `location / { proxy_pass http://127.0.0.1:3000; proxy_set_header X-Web-Server $hostname; }` to the server block' +
      ' of nginx.conf, then run `lab restart web-01 nginx`.');
  }
  if (page.status !== 200) {
    throw new Error(`the guestbook answered \`/\` with ${describeAnswer(page)}. Its page says why; \`lab logs web-01\` shows` +
      ' what each program logged.');
  }
  const servers = guestbookServers(api);
  if (!servers) {
    throw new Error(`\`/api/entries\` answered ${describeAnswer(api)}, not the guestbook's list of entries. Pass every path` +
      ' but `/static/` to the application: `location / { proxy_pass http://127.0.0.1:3000; }`.');
  }
  if (servers.web !== 'web-01') {
    throw new Error(`the guestbook does not know which web server passed the request on (it says "${servers.web}"): nginx` +
      ' passes the requests on but does not name itself. Add `proxy_set_header X-Web-Server $hostname;` to the location' +
      ' that proxies, then run `lab restart web-01 nginx`.');
  }
  if (servers.app !== 'web-01' || servers.database !== 'web-01') {
    throw new Error(`the guestbook names app server "${servers.app}" and database server "${servers.database}", not web-01:` +
      ' is `proxy_pass` pointing at the application on this machine, `http://127.0.0.1:3000`?');
  }
  if (file.status !== 200 || file.appServer) {
    const who = file.appServer ? 'the application' : 'nginx';
    throw new Error(`\`/static/site.css\` answered ${describeAnswer(file)} from ${who}: static files should come from the disk,` +
      ' sent by nginx alone. Add `location /static/ { try_files $uri =404; }` beside `location /`, then run' +
      ' `lab restart web-01 nginx`.');
  }
  return 'the guestbook answers through nginx and names web-01 as web, app and database server; /static/site.css' +
    ' comes from the disk without the application. Three programs, one machine.';
}
