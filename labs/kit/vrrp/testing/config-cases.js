// @ts-check
/**
 * The corpus of broken keepalived.conf files: variants of examples/keepalived-lb-01.conf, and files that people end
 * up with (other encodings, invisible characters, an empty file, a folder, binary data). For each: what the
 * miniature's `-t` names (its first line, what it says), and what the real `keepalived -t -f FILE` (2.2.7, Debian 12)
 * answered, measured in a network namespace that has an `eth0` and no other interface: its exit status, the lines it
 * names, sorted, and a piece of what it says. config.test.js holds the miniature to it; real-keepalived.test.js
 * checks, where keepalived runs, that the recorded verdicts still hold.
 *
 * They agree, refused or accepted alike and the miniature's first line the first that keepalived names, unless the
 * case says why they differ (`differs`, also in the README). Some verdicts depend on the host, as they do for a
 * learner: keepalived refuses a script whose program is missing, and a script user that does not exist.
 */
import { readFileSync } from 'node:fs';

export const EXAMPLES = ['keepalived-lb-01.conf', 'keepalived-lb-02.conf']
  .map((name) => new URL(`../examples/${name}`, import.meta.url));
const LB_01 = readFileSync(EXAMPLES[0], 'utf8');

/**
 * @typedef {object} RealVerdict  what keepalived -t answered
 * @property {number | 'SIGSEGV'} status  its exit status (5 or 6 for errors), or the signal that ended it
 * @property {number[]} lines  the lines it names, `(FILE: Line N)`, sorted, each once
 * @property {string} [says]   a piece of what it prints
 * @typedef {object} ConfigCase
 * @property {string} name
 * @property {string | Buffer} text  the file's contents (ignored for a folder)
 * @property {boolean} [folder]  the "file" is a folder
 * @property {number} line     the first line the miniature names (0: it names the file only); ignored when accepted
 * @property {RegExp | undefined} message  what the miniature says; undefined when it accepts the file
 * @property {RealVerdict} real
 * @property {string} [differs]  why the miniature's verdict or line is not keepalived's
 */

/**
 * @param {string} name
 * @param {Array<[string | RegExp, string]>} edits  each replaces text that must be in the example
 * @param {string} at   text on the line the error must name (in the broken file)
 * @param {RegExp} message
 * @param {RealVerdict} real
 * @param {string} [differs]
 * @returns {ConfigCase}
 */
function broken(name, edits, at, message, real, differs) {
  let text = LB_01;
  for (const [from, to] of edits) {
    if (!text.match(from)) throw new Error(`case '${name}': the example no longer contains ${from}`);
    text = text.replace(from, to);
  }
  const line = text.split('\n').findIndex((l) => l.includes(at)) + 1;
  if (line === 0) throw new Error(`case '${name}': no line contains '${at}'`);
  return { name, text, line, message, real, differs };
}

/**
 * A file that is not an edit of the example.
 * @param {string} name
 * @param {string | Buffer} text
 * @param {{ line?: number, message?: RegExp, folder?: boolean }} miniature  no message: the miniature accepts it
 * @param {RealVerdict} real
 * @param {string} [differs]
 * @returns {ConfigCase}
 */
function file(name, text, { line = 0, message, folder }, real, differs) {
  return { name, text, folder, line, message, real, differs };
}

/** The start of a PNG image: what a file manager's "save as" can put under a .conf name. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000010000000100806000000' + '1ff3ff610000000173524742', 'hex');
const NOT_READ_BY_THE_LAB = 'a lab server with nothing to run is surely a mistake, so the miniature says so';

/** @type {ConfigCase[]} */
export const CASES = [
  broken('a missing closing brace', [[/}\n$/, '']], 'vrrp_instance VI_1 {', /never closed/,
    { status: 5, lines: [], says: "There are 1 missing '}'s or extra '{'s" }),
  broken('vrrp_script without script security', [[/ *enable_script_security\n/, ''], [/ *script_user root\n/, '']],
    'vrrp_script chk_haproxy {', /script security/,
    { status: 6, lines: [], says: 'SECURITY VIOLATION - scripts are being executed but script_security not enabled' }),
  broken('script security without script_user', [[/ *script_user root\n/, '']], 'vrrp_script chk_haproxy {', /script security/,
    { status: 5, lines: [20, 40], says: 'Unable to set default user keepalived_script for script' },
    'keepalived names the end of the vrrp_script block (line 20), where it looks for its default script user, keepalived_script, '
    + 'and finds none on the host, then the track_script that names the script it dropped (line 40); the miniature names the block '
    + 'itself, and asks for the script_user line that the lab needs whatever the host has'),
  broken('an unknown directive', [['priority 101', 'priorty 101']], 'priorty 101', /unknown directive in vrrp_instance/,
    { status: 5, lines: [27], says: "Unknown keyword 'priorty'" }),
  broken('priority 0', [['priority 101', 'priority 0']], 'priority 0', /out of range/, { status: 5, lines: [27], says: 'Priority not valid' }),
  broken('priority 255 with a weighted script', [['priority 101', 'priority 255']], '        chk_haproxy', /owns the address/,
    { status: 5, lines: [], says: 'ignoring tracked script chk_haproxy with weights due to address_owner' }),
  broken('priority 256', [['priority 101', 'priority 256']], 'priority 256', /out of range/, { status: 5, lines: [27], says: 'Priority not valid' }),
  broken('priority written as a word', [['priority 101', 'priority high']], 'priority high', /not a whole number/,
    { status: 5, lines: [27], says: "invalid number 'high'" }),
  broken('advert_int 0', [['advert_int 1', 'advert_int 0']], 'advert_int 0', /out of range/, { status: 5, lines: [28], says: 'Advert interval (0) not valid' }),
  broken('advert_int 300', [['advert_int 1', 'advert_int 300']], 'advert_int 300', /out of range/,
    { status: 5, lines: [28], says: 'Advert interval (300) not valid' }),
  broken('a fractional advert_int in VRRP version 2', [['advert_int 1', 'advert_int 0.2']], 'advert_int 0.2', /whole seconds/,
    { status: 5, lines: [], says: 'VRRPv2 advertisement interval 0.200000s must be an integer' }),
  broken('authentication in VRRP version 3', [['router_id lb-01', 'router_id lb-01\n    vrrp_version 3']], 'authentication {',
    /version 3 has no authentication/, { status: 5, lines: [], says: 'VRRP version 3 does not support authentication' }),
  broken('nopreempt with state MASTER', [['state MASTER', 'state MASTER\n    nopreempt']], 'nopreempt', /state MASTER/,
    { status: 5, lines: [], says: 'nopreempt will not work with initial state MASTER' }),
  broken('an auth_pass of 9 characters', [['auth_pass s3cret', 'auth_pass s3cret123']], 'auth_pass', /longer than 8/,
    { status: 5, lines: [31], says: 'Truncating auth_pass to 8 characters' }),
  broken('an unknown state', [['state MASTER', 'state SLAVE']], 'state SLAVE', /unknown state/, { status: 5, lines: [24], says: "unknown state 'SLAVE'" }),
  broken('virtual_router_id 256', [['virtual_router_id 51', 'virtual_router_id 256']], 'virtual_router_id', /out of range/,
    { status: 5, lines: [26], says: "VRID '256' not valid" }),
  broken('a weight below -253', [['weight -20', 'weight -254']], 'weight', /out of range/,
    { status: 5, lines: [18], says: 'weight -254 must be in [-253, 253]' }),
  broken('a fractional script interval', [['interval 2', 'interval 0.5']], 'interval 0.5', /not a whole number/,
    { status: 5, lines: [16], says: "vrrp script interval '0.5' must be between 1 and 4294" }),
  broken('a tracked script that does not exist', [[/track_script {\n\s*chk_haproxy/, 'track_script {\n        chk_nginx']], 'chk_nginx',
    /no vrrp_script has this name/, { status: 5, lines: [41], says: 'track script chk_nginx not found' }),
  broken('a script the lab cannot run', [['/usr/bin/killall -0 haproxy', '/etc/keepalived/check_haproxy.sh']], 'check_haproxy',
    /not a command the lab can run/, { status: 5, lines: [], says: 'Disabling track script chk_haproxy since not found/accessible' }),
  // The copy of the block says `vrrp_instance  VI_1` with two spaces, only so that the case can find its line.
  broken('two vrrp_instance blocks of the same name', [[/$/, LB_01.slice(LB_01.indexOf('vrrp_instance VI_1 {'))
    .replace('vrrp_instance VI_1', 'vrrp_instance  VI_1').replace('virtual_router_id 51', 'virtual_router_id 52')]],
  'vrrp_instance  VI_1', /vrrp instance VI_1 already defined at line \d+/, { status: 5, lines: [44], says: 'vrrp instance VI_1 already defined' }),
  broken('killall of another process', [['killall -0 haproxy', 'killall -0 nginx']], 'script "', /only to ask whether HAProxy runs/,
    { status: 0, lines: [] },
    'a rule of the lab: its check scripts run the same in a browser, which has no processes to look at, so killall -0 may ask about HAProxy only'),
  broken('no unicast_peer', [[/ *unicast_peer {\n.*\n *}\n/, '']], 'vrrp_instance VI_1 {', /no unicast_peer/,
    { status: 5, lines: [], says: 'A unicast keyword has been specified without any unicast peers' }),
  file('an interface the host does not have', LB_01.replace('interface eth0', 'interface eth9'), {},
    { status: 5, lines: [25], says: "interface eth9 for vrrp_instance VI_1 doesn't exist" },
    'keepalived -t looks for the interface on the host; the miniature has no interfaces, and checks its addresses against the lab '
    + 'network table instead, when LAB_NETWORK names one'),
  broken('a semicolon at the end of a line', [['priority 101', 'priority 101;']], 'priority 101;', /unexpected ';'/,
    { status: 5, lines: [27], says: "invalid number '101;'" }),
  file("one '}' too many", `${LB_01}}\n`, { line: LB_01.split('\n').length, message: /unexpected '}'/ },
    { status: 5, lines: [44], says: "Extra '}' found" }),
  broken('a quoted string that is never closed', [['killall -0 haproxy"', 'killall -0 haproxy']], 'script "', /unterminated quoted string/,
    { status: 'SIGSEGV', lines: [15], says: 'Unterminated quote' }),
  broken('a misspelt block name', [['vrrp_instance VI_1 {', 'vrrp_instanse VI_1 {']], 'vrrp_instanse', /unknown directive in keepalived.conf/,
    { status: 5, lines: [23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43], says: "Unknown keyword 'vrrp_instanse'" }),
  broken('a virtual address that is not one', [['10.0.0.100/24 dev eth0', '10.0.0.300/24 dev eth0']], '10.0.0.300', /not an IPv4 address/,
    { status: 5, lines: [38], says: 'VRRP parsed invalid IP 10.0.0.300/24' }),
  broken('a no-break space (pasted from a web page)', [['priority 101', 'priority\u00a0101']], 'priority\u00a0101', /a no-break space \(U\+00A0\)/,
    { status: 5, lines: [27], says: "Unknown keyword 'priority\u00c2\u00a0101'" }),
  broken('a zero-width space', [['state MASTER', 'state MASTER\u200b']], 'state MASTER', /a zero-width space \(U\+200B\)/,
    { status: 5, lines: [24], says: "unknown state 'MASTER" }),
  broken('a NUL byte in a keyword', [['priority 101', 'prio\0rity 101']], 'prio\0rity', /a NUL byte \(U\+0000\)/,
    { status: 5, lines: [27], says: "Unknown keyword 'prio'" }),
  file('a byte-order mark (saved as UTF-8 "with BOM")', `\ufeff${LB_01}`, { line: 1, message: /a byte-order mark \(U\+FEFF\)/ },
    { status: 5, lines: [1], says: "Unknown keyword '\u00ef\u00bb\u00bf'" }),
  file('the file saved as UTF-16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(LB_01, 'utf16le')]),
    { line: 1, message: /a replacement character/ }, { status: 5, lines: [1], says: "Unknown keyword '\u00ff\u00fe'" }),
  file('binary data (a PNG image)', PNG, { line: 1, message: /character/ }, { status: 5, lines: [1, 2], says: 'Unknown keyword' }),
  file('an nginx.conf given to keepalived', 'worker_processes 1;\nevents {\n}\nhttp {\n    server {\n        listen 80;\n    }\n}\n',
    { line: 1, message: /unexpected ';'/ }, { status: 5, lines: [1, 2, 3, 4, 5, 6, 7, 8], says: "Unknown keyword 'worker_processes'" }),
  file('an empty file', '', { message: /no vrrp_instance/ }, { status: 0, lines: [] }, `keepalived runs with nothing to do; ${NOT_READ_BY_THE_LAB}`),
  file('only comments', '# lb-01\n! nothing yet\n', { message: /no vrrp_instance/ }, { status: 0, lines: [] },
    `keepalived runs with nothing to do; ${NOT_READ_BY_THE_LAB}`),
  file('a folder', '', { folder: true, message: /cannot read the configuration file/ },
    { status: 0, lines: [], says: 'is a directory - skipping' },
    'keepalived skips a configuration file that is a folder, and runs with nothing to do; a folder is surely the wrong path, so the miniature says so'),
  file('Windows line ends (CR LF)', LB_01.replaceAll('\n', '\r\n'), {}, { status: 0, lines: [] }),
  file('a form feed between a keyword and its value', LB_01.replace('priority 101', 'priority\f101'), {}, { status: 0, lines: [] }),
  file('a Latin-1 byte in a comment', Buffer.from(LB_01.replace('# keepalived on lb-01', '# keepalived on lb-01 (caf\u00e9)'), 'latin1'), {},
    { status: 0, lines: [] }),
];
