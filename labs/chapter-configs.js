// @ts-check
/**
 * The configurations the chapters show, as chapter-configs.test.js runs them: which blocks are configurations, what
 * kind each is, and how a deliberate excerpt (`partial`) is completed into a file that a program can read. The fence
 * convention itself is in scripts/lib/chapter-fences.mjs.
 *
 * A completion adds only what the excerpt leaves out and a real file must have (a section around loose lines, the
 * blocks a program requires, a stub for a name the excerpt uses and does not define); it never changes a line of the
 * excerpt. An excerpt that this cannot make whole is a `sketch`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFences } from '../scripts/lib/chapter-fences.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOCS = path.join(ROOT, 'docs');
export const LABS = path.join(ROOT, 'labs');
export const README = path.join(LABS, 'kit', 'README.md');

/**
 * @typedef {import('../scripts/lib/chapter-fences.mjs').Fence} Fence
 * @typedef {'haproxy' | 'nginx' | 'keepalived' | 'my.cnf' | 'sql' | 'nftables' | 'systemd' | 'environment' | 'shell'} Kind
 * @typedef {object} KindRule
 * @property {Kind} kind
 * @property {RegExp} file  the file names of this kind
 * @property {string} [lang]  the fence language of an untitled excerpt of this kind
 * @property {(body: string) => string} [complete]  an excerpt (`partial`) made whole
 * @property {RegExp} [included]  whole files that the program reads inside another, which `complete` supplies
 */

/**
 * How a block's kind is known: the file its title names (the title's first word), or, for an excerpt without a
 * title, its language. `complete` turns an excerpt into a whole file; a kind without it has no excerpts. A file that
 * the stock configuration includes (Debian's nginx.conf reads conf.d/*.conf inside its `http` block) is whole, and is
 * given the same surroundings.
 * @type {KindRule[]}
 */
const KINDS = [
  { kind: 'haproxy', file: /(^|\/)haproxy\.cfg$/, lang: 'haproxy', complete: completeHaproxy },
  { kind: 'nginx', file: /(^|\/)nginx\.conf$|^\/etc\/nginx\/(conf\.d|sites-available|sites-enabled)\//, lang: 'nginx', complete: completeNginx,
    included: /^\/etc\/nginx\/(conf\.d|sites-available|sites-enabled)\// },
  { kind: 'keepalived', file: /(^|\/)keepalived\.conf$/, complete: completeKeepalived },
  { kind: 'my.cnf', file: /\.cnf$/ },
  // SQL statements stand alone: an excerpt of grants.sql needs nothing around it.
  { kind: 'sql', file: /\.sql$/, lang: 'sql', complete: (body) => body },
  { kind: 'nftables', file: /(^|\/)nftables\.conf$/ },
  { kind: 'systemd', file: /\.(service|socket|timer)$/ },
  // A systemd EnvironmentFile (the unit's EnvironmentFile= names it).
  { kind: 'environment', file: /^\/etc\/[\w.-]+\/env$/ },
  { kind: 'shell', file: /\.sh$/ },
];

/** Languages that hold a configuration even without a title: such a block must be classified or marked `sketch`. */
const CONFIG_LANGS = ['haproxy', 'nginx', 'ini', 'sql'];

/**
 * @typedef {object} ChapterConfig  one configuration block of a chapter
 * @property {Fence} fence
 * @property {string} where   `docs/02-load-balancer.mdx:352`
 * @property {string} file    the file the title names, or `(an excerpt of KIND)` for an untitled excerpt
 * @property {Kind | undefined} kind   undefined when no rule knows the block
 * @property {string} text    the file a program reads: the block, completed when it is `partial`
 */

/** Every configuration block of every chapter (docs/NN-*.mdx), except sketches. */
export function chapterConfigs() {
  /** @type {ChapterConfig[]} */
  const found = [];
  for (const name of readdirSync(DOCS).filter((file) => /^\d+-.*\.mdx$/.test(file)).sort()) {
    for (const fence of readFences(path.join(DOCS, name))) {
      if (fence.flags.has('sketch') || (!fence.title && !CONFIG_LANGS.includes(fence.lang))) continue;
      const file = fence.title?.split(/\s+/)[0] ?? '';
      const rule = KINDS.find((k) => (file ? k.file.test(file) : k.lang === fence.lang));
      const complete = fence.flags.has('partial') || (rule?.included?.test(file) ?? false);
      found.push({
        fence, where: `docs/${name}:${fence.line}`, kind: rule?.kind, file: file || `(an excerpt of ${rule?.kind ?? fence.lang})`,
        text: complete && rule?.complete ? rule.complete(fence.body) : fence.body,
      });
    }
  }
  return found;
}

/** Every machine the labs name, and its address: the names a chapter's configuration may use. */
export function labHosts() {
  /** @type {Map<string, string>} */
  const hosts = new Map();
  for (const lab of readdirSync(LABS).filter((name) => /^\d\d-/.test(name))) {
    const table = JSON.parse(readFileSync(path.join(LABS, lab, 'network.json'), 'utf8'));
    for (const [name, address] of Object.entries(table.hosts ?? {})) hosts.set(name, String(address));
  }
  return hosts;
}

/**
 * The hosts file of the namespace the real programs run in, as /etc/hosts (or DNS) gives the names on a real
 * network. `ip netns exec` puts /etc/netns/NAME/hosts in place of /etc/hosts.
 */
export function hostsFile() {
  return ['127.0.0.1 localhost', ...[...labHosts()].map(([name, address]) => `${address} ${name}`)].join('\n') + '\n';
}

/**
 * The same names for the miniature, as a lab network table: the miniature resolves `NAME:PORT` through the table's
 * ports, so each such address of the file gets one (28000 up: a check binds none of them).
 * @param {string} text
 */
export function networkTable(text) {
  const hosts = Object.fromEntries(labHosts());
  /** @type {Record<string, number>} */
  const ports = {};
  for (const [address, name] of text.matchAll(/\b([a-z][\w-]*):\d+\b/g)) {
    if (name in hosts && !(address in ports)) ports[address] = 28000 + Object.keys(ports).length;
  }
  return { hosts, ports };
}

/**
 * The captured groups of every match of a pattern (a section's kind and name, a block's name).
 * @param {string} body
 * @param {RegExp} header  with the g flag
 */
const headers = (body, header) => [...body.matchAll(header)].map((m) => m.slice(1));

/** What every chapter's `defaults` holds: HTTP mode, and the three timeouts without which HAProxy warns. */
const HAPROXY_DEFAULTS = ['mode http', 'timeout connect 5s', 'timeout client 30s', 'timeout server 30s'];

/**
 * HAProxy: loose lines go into a `backend web`; the excerpt's `defaults` gets the lines of HAPROXY_DEFAULTS it does
 * not set (a second `defaults` would reset the excerpt's, so they go into its own), or a `defaults` of them comes
 * first; without a `frontend` or `listen`, one on port 80 sends everything to the first backend.
 * @param {string} body
 */
function completeHaproxy(body) {
  let text = /^(global|defaults|frontend|backend|listen)\b/m.test(body) ? body : `backend web\n${body}`;
  const sections = headers(text, /^(global|defaults|frontend|backend|listen)\b[ \t]*(\S*)/gm);
  const lacking = HAPROXY_DEFAULTS.filter((line) => !new RegExp(`^\\s*${line.split(' ').slice(0, -1).join('\\s+')}\\s`, 'm').test(text));
  const added = lacking.map((line) => `    ${line}\n`).join('');
  text = sections.some(([kind]) => kind === 'defaults') ? text.replace(/^defaults\b.*\n/m, (line) => line + added)
    : `defaults\n${added}\n${text}`;
  if (!sections.some(([kind]) => kind === 'frontend' || kind === 'listen')) {
    const backend = sections.find(([kind]) => kind === 'backend')?.[1];
    text += `\nfrontend www\n    bind *:80\n${backend ? `    default_backend ${backend}\n` : ''}`;
  }
  return text;
}

/**
 * Nginx: a file without an `http` block (an excerpt, or a conf.d file, which the stock nginx.conf includes inside
 * `http`) goes into `events {}` and `http {}`; loose `location` lines into a `server`; an `http` without a `server`
 * gets one on port 80; a `proxy_pass http://NAME` whose upstream the file does not define gets a stub upstream.
 * @param {string} body
 */
function completeNginx(body) {
  if (/^http\s*\{/m.test(body)) return body;
  let inner = /^\s*(server\s*|upstream\s+\S+\s*)\{/m.test(body) ? body : `server {\n    listen 80;\n${body}}\n`;
  if (!/^\s*server\s*\{/m.test(inner)) inner += 'server {\n    listen 80;\n}\n';
  const defined = new Set(headers(inner, /^\s*upstream\s+(\S+)\s*\{/gm).map(([name]) => name));
  for (const [name] of headers(inner, /proxy_pass\s+http:\/\/([A-Za-z][\w-]*)[/;]/g)) {
    if (!defined.has(name)) inner = `upstream ${name} {\n    server 127.0.0.1:3000;\n}\n${inner}`;
    defined.add(name);
  }
  return `events {}\n\nhttp {\n${inner}}\n`;
}

/**
 * keepalived: loose lines (an excerpt of an instance) go into a `vrrp_instance`; without one, an instance that
 * tracks the excerpt's scripts; a tracked script that the excerpt does not define gets a stub (`/bin/true`); with
 * scripts (checks or notify scripts) and no `global_defs`, script security as chapter 5 sets it.
 * @param {string} body
 */
function completeKeepalived(body) {
  const topLevel = /^(global_defs|vrrp_script|vrrp_instance)\b/m;
  const scripts = headers(body, /^vrrp_script\s+(\S+)/gm).map(([name]) => name);
  const instance = (/** @type {string} */ inside) => 'vrrp_instance VI_1 {\n    state MASTER\n    interface eth0\n'
    + '    virtual_router_id 51\n    priority 101\n    advert_int 1\n    unicast_src_ip 10.0.0.11\n'
    + '    unicast_peer {\n        10.0.0.12\n    }\n    virtual_ipaddress {\n        10.0.0.100/24 dev eth0\n    }\n'
    + `${inside}}\n`;
  let text = !topLevel.test(body) ? instance(body)
    : /^vrrp_instance\b/m.test(body) ? body
      : `${body}\n${instance(scripts.length > 0 ? `    track_script {\n${scripts.map((s) => `        ${s}\n`).join('')}    }\n` : '')}`;
  const tracked = [...text.matchAll(/track_script\s*\{([^}]*)\}/g)].flatMap((m) => m[1].split(/\s+/).filter(Boolean));
  for (const name of new Set(tracked)) {
    if (!scripts.includes(name)) text = `vrrp_script ${name} {\n    script "/bin/true"\n}\n\n${text}`;
  }
  if (/^vrrp_script\b|^\s*notify(_\w+)?\s/m.test(text) && !/^global_defs\b/m.test(text)) {
    text = `global_defs {\n    enable_script_security\n    script_user root\n}\n\n${text}`;
  }
  return text;
}

/** The heading of each kind's section in labs/kit/README.md, which lists the subset directive by directive. */
const README_SECTIONS = /** @type {Partial<Record<Kind, string>>} */ ({
  haproxy: '### `haproxy.cfg`', nginx: '### `nginx.conf`', keepalived: '### `keepalived.conf`', 'my.cnf': '### `my.cnf`', sql: '### `my.cnf`',
});

/**
 * Why the lab's miniature may refuse a file that the real program accepts: a line of the miniature's error
 * (`miniature`) and the words of labs/kit/README.md that document it (`readme`, which must be there). When the
 * pattern captures a word, that word must be in the quoted words in backticks; with `outside`, the README's table for
 * the program must have no row for it: a directive outside the subset, which the README says is an error.
 * @type {Array<{ kind: Kind, miniature: RegExp, readme: string, outside?: boolean }>}
 */
export const DIFFERENCES = [
  { kind: 'haproxy', miniature: /'([\w-]+)': unknown or unsupported keyword/, readme: 'A directive outside the subset is an error that names', outside: true },
  { kind: 'haproxy', miniature: /'server \.\.\. [\w-]+': server option '([\w-]+)' is not supported/, readme: '`maxconn`, `ssl`, `port`, `cookie`, `fastinter`, ... are errors' },
  { kind: 'haproxy', miniature: /'bind': bind options are not supported \('(ssl) crt/, readme: 'bind options (`ssl crt ...`) are errors' },
  { kind: 'nginx', miniature: /'([\w-]+)': unknown directive \(outside the subset/, readme: 'A directive outside the subset is an error that names', outside: true },
  { kind: 'keepalived', miniature: /'([\w-]+)': unknown directive in /, readme: 'A directive outside the subset is an error that names', outside: true },
  { kind: 'my.cnf', miniature: /unknown variable '([\w-]+)/, readme: 'Any other option is an error (`unknown variable`, as `mariadbd` stops)', outside: true },
];

/**
 * The miniature's error lines (`file:line: ...`) that no documented difference explains; all its output when it
 * names no line. Its hints (`  hint: ...`) are not errors.
 * @param {Kind} kind
 * @param {string} output
 * @param {string} readme  the text of labs/kit/README.md
 */
export function undocumented(kind, output, readme) {
  const start = readme.indexOf(README_SECTIONS[kind] ?? '\0');
  const section = start < 0 ? '' : readme.slice(start, readme.indexOf('\n### ', start + 1));
  // The first cell of each row of the section's tables: the directives of the subset.
  const rows = section.split('\n').filter((line) => line.startsWith('| ')).map((line) => line.split(' | ')[0]);
  const inSubset = (/** @type {string} */ word) => rows.some((cell) => cell.includes(`\`${word} `) || cell.includes(`\`${word}\``));
  const errors = output.split('\n').filter((line) => /:\d+:/.test(line) && !/^\s+hint:/.test(line));
  if (errors.length === 0) return [output];
  return errors.filter((line) => !DIFFERENCES.some((d) => {
    const word = d.kind === kind ? d.miniature.exec(line)?.[1] : undefined;
    if (word === undefined) return false;
    return d.outside ? !inSubset(word) : d.readme.includes(`\`${word}`);
  }));
}
