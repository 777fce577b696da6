// @ts-check
/**
 * Broken variants of examples/keepalived-lb-01.conf, each with the line the error must name and the words it must
 * say. `realSays` is what the real keepalived 2.2 prints when its `keepalived -t` refuses the same file (measured),
 * which real-keepalived.test.js checks when the binary is here; without it, the variant breaks a rule of the lab's.
 */
import { readFileSync } from 'node:fs';

export const EXAMPLES = ['keepalived-lb-01.conf', 'keepalived-lb-02.conf']
  .map((name) => new URL(`../examples/${name}`, import.meta.url));
const LB_01 = readFileSync(EXAMPLES[0], 'utf8');

/**
 * @typedef {object} ConfigCase
 * @property {string} name
 * @property {string} text     the broken file
 * @property {number} line     the line the error names
 * @property {RegExp} message  what the error says
 * @property {RegExp} [realSays] what the real keepalived says when it refuses it too
 */

/**
 * @param {string} name
 * @param {Array<[string | RegExp, string]>} edits  each replaces text that must be in the example
 * @param {string} at   text on the line the error must name (in the broken file)
 * @param {RegExp} message
 * @param {RegExp} [realSays]
 * @returns {ConfigCase}
 */
function broken(name, edits, at, message, realSays) {
  let text = LB_01;
  for (const [from, to] of edits) {
    if (!text.match(from)) throw new Error(`case '${name}': the example no longer contains ${from}`);
    text = text.replace(from, to);
  }
  const line = text.split('\n').findIndex((l) => l.includes(at)) + 1;
  if (line === 0) throw new Error(`case '${name}': no line contains '${at}'`);
  return { name, text, line, message, realSays };
}

export const CASES = [
  broken('a missing closing brace', [[/}\n$/, '']], 'vrrp_instance VI_1 {', /never closed/, /missing '}'s or extra '{'s/),
  broken('vrrp_script without script security', [[/ *enable_script_security\n/, ''], [/ *script_user root\n/, '']],
    'vrrp_script chk_haproxy {', /script security/, /SECURITY VIOLATION - scripts are being executed but script_security not enabled/),
  broken('script security without script_user', [[/ *script_user root\n/, '']], 'vrrp_script chk_haproxy {', /script security/),
  broken('an unknown directive', [['priority 101', 'priorty 101']], 'priorty 101', /unknown directive in vrrp_instance/,
    /Unknown keyword 'priorty'/),
  broken('priority 0', [['priority 101', 'priority 0']], 'priority 0', /out of range/, /Priority not valid/),
  broken('priority 255 with a weighted script', [['priority 101', 'priority 255']], '        chk_haproxy', /owns the address/,
    /ignoring tracked script chk_haproxy with weights due to address_owner/),
  broken('priority 256', [['priority 101', 'priority 256']], 'priority 256', /out of range/, /Priority not valid/),
  broken('advert_int 0', [['advert_int 1', 'advert_int 0']], 'advert_int 0', /out of range/, /Advert interval \(0\) not valid/),
  broken('advert_int 300', [['advert_int 1', 'advert_int 300']], 'advert_int 300', /out of range/, /Advert interval \(300\) not valid/),
  broken('a fractional advert_int in VRRP version 2', [['advert_int 1', 'advert_int 0.2']], 'advert_int 0.2', /whole seconds/,
    /VRRPv2 advertisement interval 0\.200000s must be an integer/),
  broken('authentication in VRRP version 3', [['router_id lb-01', 'router_id lb-01\n    vrrp_version 3']], 'authentication {',
    /version 3 has no authentication/, /VRRP version 3 does not support authentication/),
  broken('nopreempt with state MASTER', [['state MASTER', 'state MASTER\n    nopreempt']], 'nopreempt', /state MASTER/,
    /nopreempt will not work with initial state MASTER/),
  broken('an auth_pass of 9 characters', [['auth_pass s3cret', 'auth_pass s3cret123']], 'auth_pass', /longer than 8/,
    /Truncating auth_pass to 8 characters/),
  broken('an unknown state', [['state MASTER', 'state SLAVE']], 'state SLAVE', /unknown state/, /unknown state 'SLAVE'/),
  broken('virtual_router_id 256', [['virtual_router_id 51', 'virtual_router_id 256']], 'virtual_router_id', /out of range/,
    /VRID '256' not valid/),
  broken('a weight below -253', [['weight -20', 'weight -254']], 'weight', /out of range/, /weight -254 must be in \[-253, 253\]/),
  broken('a fractional script interval', [['interval 2', 'interval 0.5']], 'interval 0.5', /not a whole number/,
    /vrrp script interval '0\.5' must be between 1 and 4294/),
  broken('a tracked script that does not exist', [[/track_script {\n\s*chk_haproxy/, 'track_script {\n        chk_nginx']], 'chk_nginx',
    /no vrrp_script has this name/, /track script chk_nginx not found/),
  broken('a script the lab cannot run', [['/usr/bin/killall -0 haproxy', '/etc/keepalived/check_haproxy.sh']], 'check_haproxy', /not a command the lab can run/),
  // The copy of the block says `vrrp_instance  VI_1` with two spaces, only so that the case can find its line.
  broken('two vrrp_instance blocks of the same name', [[/$/, LB_01.slice(LB_01.indexOf('vrrp_instance VI_1 {'))
    .replace('vrrp_instance VI_1', 'vrrp_instance  VI_1').replace('virtual_router_id 51', 'virtual_router_id 52')]],
  'vrrp_instance  VI_1', /vrrp instance VI_1 already defined at line \d+/, /vrrp instance VI_1 already defined/),
  broken('killall of another process', [['killall -0 haproxy', 'killall -0 nginx']], 'script "', /only to ask whether HAProxy runs/),
  broken('no unicast_peer', [[/ *unicast_peer {\n.*\n *}\n/, '']], 'vrrp_instance VI_1 {', /no unicast_peer/),
];
