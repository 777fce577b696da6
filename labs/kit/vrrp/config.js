// @ts-check
/**
 * Reads keepalived.conf: the subset listed in kit/vrrp/README.md, with the rules that real keepalived 2.2 applies
 * when it loads a file (measured with `keepalived -t`), so that a file this parser accepts also runs the real
 * program. A file outside the subset, or one the real program would refuse, is a ConfigError naming file and line.
 */
import { parseBraceConfig } from '../lib/brace-config.js';
import { ConfigError } from '../lib/config-error.js';
import { blockOf, fail, failUnknown, flag, integerIn, singleValue } from './config-values.js';
import { readInstance } from './instance-config.js';
import { parseScriptCommand } from './script-commands.js';

/** @typedef {import('../lib/brace-config.js').Directive} Directive */
/** @typedef {import('./instance-config.js').InstanceConfig} InstanceConfig */

/**
 * @typedef {object} ScriptConfig
 * @property {string} name
 * @property {number} line
 * @property {import('./script-commands.js').ScriptCommand} command
 * @property {string} text          the script line as written
 * @property {number} interval      seconds between runs
 * @property {number} timeout       seconds a run may take
 * @property {number} weight        added to the priority (negative: taken off) while failing; 0 means FAULT instead
 * @property {number} fall          failures in a row that make the script "failed"
 * @property {number} rise          successes in a row that make it "succeeded" again
 */

/**
 * @typedef {object} KeepalivedConfig
 * @property {string | undefined} routerId
 * @property {boolean} scriptSecurity  `enable_script_security` in global_defs
 * @property {string | undefined} scriptUser
 * @property {2 | 3} version           `vrrp_version` in global_defs; keepalived's default is 2
 * @property {ScriptConfig[]} scripts
 * @property {InstanceConfig[]} instances
 */

const TOP_LEVEL = ['global_defs', 'vrrp_script', 'vrrp_instance'];
const GLOBAL_DEFS = ['router_id', 'enable_script_security', 'script_user', 'vrrp_version'];
const WEIGHT_MEANING = 'a negative weight comes off the priority while the script fails, a positive one is added while it succeeds, 0 means FAULT when it fails';
const SCRIPT = ['script', 'interval', 'weight', 'fall', 'rise', 'timeout'];

/**
 * @param {string} text the file's contents
 * @param {string} file the file's name, for messages
 * @returns {KeepalivedConfig}
 */
export function parseKeepalivedConf(text, file) {
  const directives = parseBraceConfig(text, { file, end: 'newline', comments: '#!' });
  for (const directive of directives) {
    if (!TOP_LEVEL.includes(directive.name)) failUnknown(directive, file, 'keepalived.conf', TOP_LEVEL);
  }
  const config = readGlobalDefs(directives.filter((d) => d.name === 'global_defs'), file);
  const scripts = directives.filter((d) => d.name === 'vrrp_script').map((d) => readScript(d, file, config));
  const instances = directives.filter((d) => d.name === 'vrrp_instance').map((d) => readInstance(d, file, config.version));
  if (instances.length === 0) {
    throw new ConfigError({ file, line: 0 }, 'there is no vrrp_instance: nothing to do', 'add a vrrp_instance block (see kit/vrrp/examples/)');
  }
  for (const instance of instances) checkTrackedScripts(instance, scripts, file);
  return { ...config, scripts, instances };
}

/**
 * @param {Directive[]} blocks every `global_defs` block (keepalived merges them)
 * @param {string} file
 * @returns {Omit<KeepalivedConfig, 'scripts' | 'instances'>}
 */
function readGlobalDefs(blocks, file) {
  /** @type {Omit<KeepalivedConfig, 'scripts' | 'instances'>} */
  const config = { routerId: undefined, scriptSecurity: false, scriptUser: undefined, version: 2 };
  for (const directive of blocks.flatMap((block) => blockOf(block, file))) {
    switch (directive.name) {
      case 'router_id': config.routerId = singleValue(directive, file); break;
      case 'enable_script_security': config.scriptSecurity = flag(directive, file); break;
      case 'script_user': config.scriptUser = readScriptUser(directive, file); break;
      case 'vrrp_version': config.version = /** @type {2 | 3} */ (integerIn(directive, file, 2, 3)); break;
      default: failUnknown(directive, file, 'global_defs', GLOBAL_DEFS);
    }
  }
  return config;
}

/**
 * `script_user USER [GROUP]`: who runs the check scripts on a real host. The lab has no users: it records the name.
 * @param {Directive} directive
 * @param {string} file
 */
function readScriptUser(directive, file) {
  if (directive.children || directive.args.length < 1 || directive.args.length > 2) {
    fail(directive, file, 'takes a user name and, optionally, a group', 'write: script_user root');
  }
  return directive.args[0];
}

/**
 * @param {Directive} block
 * @param {string} file
 * @param {Omit<KeepalivedConfig, 'scripts' | 'instances'>} global
 * @returns {ScriptConfig}
 */
function readScript(block, file, global) {
  const children = blockOf(block, file, 1);
  if (!global.scriptSecurity || !global.scriptUser) {
    // keepalived 2.2 logs "SECURITY VIOLATION - scripts are being executed but script_security not enabled" and
    // `keepalived -t` fails; with enable_script_security alone it looks for the user keepalived_script.
    fail(block, file, 'keepalived refuses to run scripts unless script security is enabled in global_defs',
      'add to global_defs: enable_script_security, and script_user root (on a real host the user must exist)');
  }
  /** @type {Partial<ScriptConfig>} */
  const script = { name: block.args[0], line: block.line, interval: 1, weight: 0, fall: 1, rise: 1 };
  for (const directive of children) {
    switch (directive.name) {
      case 'script': {
        script.text = directive.children ? '' : directive.args.join(' ');
        if (!script.text) fail(directive, file, 'is missing its command', 'write it as: script "/usr/bin/killall -0 haproxy"');
        script.command = parseScriptCommand(script.text, { file, line: directive.line });
        break;
      }
      // keepalived reads interval and timeout in whole seconds: `interval 0.5` fails `keepalived -t`.
      case 'interval': script.interval = integerIn(directive, file, 1, 4294, 'seconds between two runs'); break;
      case 'timeout': script.timeout = integerIn(directive, file, 1, 4294, 'seconds a run may take'); break;
      case 'weight': script.weight = integerIn(directive, file, -253, 253, WEIGHT_MEANING); break;
      case 'fall': script.fall = integerIn(directive, file, 1, 2147483647); break;
      case 'rise': script.rise = integerIn(directive, file, 1, 2147483647); break;
      default: failUnknown(directive, file, 'vrrp_script', SCRIPT);
    }
  }
  if (!script.command) fail(block, file, `'${script.name}' has no script line`, 'add: script "/usr/bin/killall -0 haproxy"');
  // keepalived's default timeout is 0 (its dump shows "Timeout = 0 sec"); the miniature bounds every run by its interval.
  script.timeout ??= script.interval;
  return /** @type {ScriptConfig} */ (script);
}

/**
 * @param {InstanceConfig} instance
 * @param {ScriptConfig[]} scripts
 * @param {string} file
 */
function checkTrackedScripts(instance, scripts, file) {
  for (const tracked of instance.trackScripts) {
    const script = scripts.find((s) => s.name === tracked.address);
    if (!script) {
      throw new ConfigError({ file, line: tracked.line, directive: tracked.address }, 'no vrrp_script has this name',
        scripts.length ? `defined scripts: ${scripts.map((s) => s.name).join(', ')}` : 'define it first: vrrp_script NAME { script "..." }');
    }
    if (instance.priority === 255 && script.weight !== 0) {
      throw new ConfigError({ file, line: tracked.line, directive: tracked.address },
        'priority 255 means this router owns the address, and keepalived ignores weighted scripts for an owner',
        'use a priority from 1 to 254, or a script with weight 0');
    }
  }
}
