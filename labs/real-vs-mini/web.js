// @ts-check
/**
 * nginx against the miniature web tier, each started in turn on the same nginx.conf in its own copy of the same
 * folder: `proxy_next_upstream` when an application server is killed, and static files (status, ETag, the 304
 * rules, `try_files`, error pages, a folder without its slash). The real nginx gets the file with its temporary
 * paths, pid file and logs moved into the run's folder (kit/web/harness.js), as `nginx -t` gets it in the tests.
 * Ports 26200-26299.
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NGINX, prepareForNginx } from '../kit/web/harness.js';
import { KIT, kill, listening, request, start, startBackend, tempFolder, waitFor } from './common.js';

const PORT = 26200;
const APP_PORTS = [26211, 26212];

/** @typedef {import('./common.js').Finding} Finding */
/** @typedef {'real' | 'mini'} Side */

/** @param {string} nextUpstream */
function proxyConf(nextUpstream) {
  return `events {
    worker_connections 64;
}
http {
    upstream app {
        server 127.0.0.1:${APP_PORTS[0]};
        server 127.0.0.1:${APP_PORTS[1]};
    }
    server {
        listen 127.0.0.1:${PORT};
        location / {
            proxy_pass http://app;
            proxy_next_upstream ${nextUpstream};
        }
    }
}
`;
}

const STATIC_CONF = `events {
    worker_connections 64;
}
http {
    server {
        listen 127.0.0.1:${PORT};
        root www;
        index index.html;
        error_page 404 /404.html;
        location / {
            try_files $uri $uri/ =404;
        }
        location /shop/ {
            try_files $uri /index.html;
        }
    }
}
`;

/** The site's files, with one fixed modification time so that both copies have the same ETag. */
const SITE = { 'www/index.html': '<h1>Home</h1>\n', 'www/404.html': '<h1>Not here</h1>\n', 'www/docs/index.html': '<h1>Docs</h1>\n' };
const MODIFIED = new Date('2026-01-02T03:04:05Z');

/**
 * Starts nginx or the miniature on `conf` in a new folder holding `files`; returns the process.
 * @param {Side} side
 * @param {string} conf
 * @param {Record<string, string>} [files]
 */
async function startWeb(side, conf, files = {}) {
  const dir = tempFolder('nginx');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
    utimesSync(path.join(dir, name), MODIFIED, MODIFIED);
  }
  writeFileSync(path.join(dir, 'nginx.conf'), conf);
  let child;
  if (side === 'real') {
    const file = await prepareForNginx(path.join(dir, 'nginx.conf'), dir);
    child = start(/** @type {string} */ (NGINX), ['-p', `${dir}/`, '-c', file, '-e', 'stderr', '-g', 'daemon off; master_process off;'],
      { stdio: ['ignore', 'ignore', 'pipe'] });
  } else {
    child = start(process.execPath, [path.join(KIT, 'web'), '-c', 'nginx.conf'], { cwd: dir, env: { ...process.env, LAB_NETWORK: '', LAB_CONTROL: '' } });
  }
  await waitFor(() => listening(PORT) || child.exitCode !== null, 10_000, `${side} web tier on ${PORT}`);
  if (child.exitCode !== null) throw new Error(`the ${side} web tier exited:\n${child.output()}`);
  return child;
}

/**
 * Two application servers; 6 requests, then the second is killed, then 20 more: how many of those failed.
 * @param {Side} side
 * @param {string} nextUpstream
 */
async function killedApp(side, nextUpstream) {
  const apps = await Promise.all(APP_PORTS.map((port, i) => startBackend(`app-0${i + 1}`, port)));
  const web = await startWeb(side, proxyConf(nextUpstream));
  try {
    for (let i = 0; i < 6; i++) await request(PORT);
    await kill(apps[1]);
    let failed = 0;
    for (let i = 0; i < 20; i++) if ((await request(PORT)).status !== 200) failed++;
    return failed;
  } finally {
    await Promise.all([web, ...apps].map(kill));
  }
}

/** @type {Array<[string, string, Record<string, string> | ((first: import('node:http').IncomingHttpHeaders) => Record<string, string>), string?]>} */
const STATIC_REQUESTS = [
  ['index', '/', {}],
  ['file', '/index.html', {}],
  ['etag-match', '/index.html', (first) => ({ 'if-none-match': String(first.etag) })],
  ['etag-other', '/index.html', { 'if-none-match': '"0-0"' }],
  ['modified-since', '/index.html', (first) => ({ 'if-modified-since': String(first['last-modified']) })],
  ['modified-since-older', '/index.html', { 'if-modified-since': 'Thu, 01 Jan 2026 00:00:00 GMT' }],
  ['etag-and-older-date', '/index.html', (first) => ({ 'if-none-match': String(first.etag), 'if-modified-since': 'Thu, 01 Jan 2026 00:00:00 GMT' })],
  ['missing', '/nothing.html', {}],
  ['folder-without-slash', '/docs', {}],
  ['try-files-fallback', '/shop/cart', {}],
  ['head', '/index.html', {}, 'HEAD'],
];

/**
 * Each static request's answer in a few words: status, ETag, Location, the body's first line.
 * @param {Side} side
 */
async function staticAnswers(side) {
  const web = await startWeb(side, STATIC_CONF, SITE);
  try {
    const first = (await request(PORT, { path: '/index.html' })).headers;
    /** @type {Record<string, string>} */
    const answers = {};
    for (const [name, target, headers, method = 'GET'] of STATIC_REQUESTS) {
      const reply = await request(PORT, { path: target, method, headers: typeof headers === 'function' ? headers(first) : headers });
      const location = reply.headers.location ? ` to ${String(reply.headers.location).replace(/^http:\/\/[^/]+/, '')}` : '';
      const etag = reply.headers.etag ? ` ${reply.headers.etag}` : '';
      answers[name] = `${reply.status}${etag}${location} ${reply.body.split('\n')[0]}`.trim();
    }
    return answers;
  } finally {
    await kill(web);
  }
}

/** @returns {Promise<Finding[]>} */
export async function webFindings() {
  /** @type {Finding[]} */
  const findings = [];
  const scenario = 'upstream of 2 application servers, the second killed after 6 requests';
  findings.push({ family: 'web', id: 'web/next-upstream', scenario: `${scenario}; proxy_next_upstream error timeout (the default)`,
    figure: 'failed requests of the 20 after the kill', real: await killedApp('real', 'error timeout'),
    mini: await killedApp('mini', 'error timeout'), range: { min: 0, max: 0 },
    why: 'a refused connection is an error: the request goes on to the other server, none fails' });
  findings.push({ family: 'web', id: 'web/next-upstream-off', scenario: `${scenario}; proxy_next_upstream off`,
    figure: 'failed requests of the 20 after the kill', real: await killedApp('real', 'off'), mini: await killedApp('mini', 'off'),
    range: { min: 1, max: 1 }, why: 'the first request sent to the dead server fails (502); max_fails 1 then leaves it out for fail_timeout 10 s' });
  const [real, mini] = [await staticAnswers('real'), await staticAnswers('mini')];
  for (const [name, target, , method = 'GET'] of STATIC_REQUESTS) {
    findings.push({ family: 'web', id: `web/static-${name}`, scenario: `static files: ${method} ${target}${name.includes('-') ? ` (${name.replace(/-/g, ' ')})` : ''}`,
      figure: 'status, ETag, Location, first line', real: real[name], mini: mini[name], range: { exact: real[name] },
      why: 'the same file and the same request: the same answer' });
  }
  return findings;
}
