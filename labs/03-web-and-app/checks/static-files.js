// @ts-check
import { ALL_SERVERS, WEB_SERVERS, direct, outcome, settledAppCount } from './tiers.js';

const STATIC_FILES = [
  { path: '/static/about.html', type: 'text/html' },
  { path: '/static/site.css', type: 'text/css' },
];
const THROUGH_LB = 4;

/**
 * Step "Serve the static files from Nginx": each web server sends the files of www/static/ itself (the answer
 * names the web server and no application server), the application servers' request counts do not move while
 * only static files are asked for, and the guestbook at / still reaches the application tier.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
export default async function check(lab) {
  await lab.expectUp(...ALL_SERVERS);
  const before = await settledAppCount(lab);
  for (const web of WEB_SERVERS) {
    for (const file of STATIC_FILES) judgeStatic(await lab.request(file.path, { via: direct(web) }), web, file);
  }
  for (const response of await lab.requests(THROUGH_LB, STATIC_FILES[1].path)) {
    if (response.appServer) {
      throw new Error(`GET ${STATIC_FILES[1].path} through lb-01 was answered by ${response.appServer}, by way of` +
        ` ${response.servedBy ?? 'a web server'}: make the same change on both web servers.`);
    }
  }
  const sent = WEB_SERVERS.length * STATIC_FILES.length + THROUGH_LB;
  const after = await settledAppCount(lab);
  if (after !== before) {
    throw new Error(`${sent} requests asked for static files only, yet the application servers counted ${after - before}` +
      ' requests meanwhile: something passes static files on to the application tier. Run `lab curl -i /static/site.css`' +
      ' and look at its `counted by` line.');
  }

  for (const web of WEB_SERVERS) {
    const page = await lab.request('/', { via: direct(web) });
    if (!page.appServer) {
      throw new Error(`the static files are right, but GET / through ${web} did not reach an application server` +
        ` (${outcome(page)}): the guestbook is dynamic. Keep \`location / { proxy_pass ...; }\` in ${web}/nginx.conf.`);
    }
  }
  return `${sent} requests for ${STATIC_FILES.map((file) => file.path).join(' and ')} were answered by web-01 and` +
    ' web-02 themselves, and the application servers counted none of them; the guestbook at / still reaches the' +
    ' application tier.';
}

/**
 * @param {import('../../kit/lab/lab-http.js').LabResponse} response
 * @param {string} web
 * @param {{ path: string, type: string }} file
 */
function judgeStatic(response, web, file) {
  const asked = `GET ${file.path}`;
  const request = `${asked} through ${web}`;
  if (response.status === 0) {
    throw new Error(`${web} did not answer ${asked} (${response.error}): is it up? Run \`lab ps\`,` +
      ` and \`lab logs ${web}\` for the line of nginx.conf it did not accept.`);
  }
  if (response.appServer) {
    throw new Error(`${request} was answered by the application server ${response.appServer} (${outcome(response)}):` +
      ` ${web} passes every request to the application, which runs code and has no files. Add` +
      ' `location /static/ { try_files $uri =404; }` to the server block of' +
      ` ${web}/nginx.conf, then run \`lab restart ${web}\`.`);
  }
  if (response.status === 404) {
    throw new Error(`${web} answered ${asked} with 404 itself: it looked for the file and found` +
      ` none. With \`root www;\` the file is www${file.path} in ${web}'s folder; check \`root\` and the location's path.`);
  }
  if (response.status !== 200) {
    throw new Error(`${request} answered ${outcome(response)}, not 200 with the file: \`lab logs ${web}\` says why.`);
  }
  if (response.servedBy !== web) {
    throw new Error(`${request} came back without \`X-Served-By: ${web}\`. Keep \`add_header X-Served-By $hostname;\` in` +
      ' the server block; a location with an `add_header` of its own inherits none of the server\'s, so repeat it' +
      ' there.');
  }
  const type = String(response.headers['content-type'] ?? '');
  if (!type.startsWith(file.type)) {
    throw new Error(`${request} came with Content-Type \`${type || 'none'}\`, not \`${file.type}\`: keep` +
      ' `include /etc/nginx/mime.types;` in the http block, so that nginx knows the type of each file extension.');
  }
}
