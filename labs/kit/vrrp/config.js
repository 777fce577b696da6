// @ts-check
/**
 * Reads keepalived.conf: the subset listed in kit/vrrp/README.md, with the rules that real keepalived 2.2 applies
 * when it loads a file (measured with `keepalived -t`), so that a file this parser accepts also runs the real
 * program. A file outside the subset, or one the real program would refuse, is a ConfigError naming file and line.
 */
import { parseBraceConfig } from '../lib/brace-config.js';
import { ConfigError } from '../lib/config-error.js';
import { ConfigErrors, blockOf, collect, fail, failUnknown, flag, integerIn, singleValue } from './config-values.js';
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
 * Reads the whole file and throws every error in it at once (a ConfigErrors), as keepalived reports them all.
 * @param {string} text the file's contents
 * @param {string} file the file's name, for messages
 * @returns {KeepalivedConfig}
 */
export function parseKeepalivedConf(text, file) {
  /** @type {ConfigError[]} */
  const errors = [];
  const directives = parseBraceConfig(text, { file, end: 'newline', comments: '#!', errors });
  for (const directive of directives) {
    if (!TOP_LEVEL.includes(directive.name)) collect(errors, () => failUnknown(directive, file, 'keepalived.conf', TOP_LEVEL));
  }
  const config = readGlobalDefs(directives.filter((d) => d.name === 'global_defs'), file, errors);
  const scripts = directives.filter((d) => d.name === 'vrrp_script').flatMap((d) => collect(errors, () => readScript(d, file, config, errors)) ?? []);
  /** @type {InstanceConfig[]} */
  const instances = [];
  for (const block of directives.filter((d) => d.name === 'vrrp_instance')) {
    const instance = collect(errors, () => readInstance(block, file, config.version, errors));
    if (instance) collect(errors, () => checkUnique(instance, instances, file));
    if (instance) instances.push(instance);
  }
  if (instances.length === 0 && !directives.some((d) => d.name === 'vrrp_instance')) {
    errors.push(new ConfigError({ file, line: 0 }, 'there is no vrrp_instance: nothing to do', 'add a vrrp_instance block (see kit/vrrp/examples/)'));
  }
  const scriptNames = directives.filter((d) => d.name === 'vrrp_script').map((d) => d.args[0]);
  for (const instance of instances) checkTrackedScripts(instance, scripts, scriptNames, file, errors);
  if (errors.length > 0) throw new ConfigErrors(errors.sort((a, b) => a.line - b.line));
  return { ...config, scripts, instances };
}

/**
 * keepalived 2.2 refuses a second instance of the same name ("vrrp instance VI_1 already defined") and two instances
 * of the same virtual router on one interface ("duplicate VRID conflict"): a router could not tell their
 * advertisements apart.
 * @param {InstanceConfig} instance
 * @param {InstanceConfig[]} earlier
 * @param {string} file
 */
function checkUnique(instance, earlier, file) {
  const where = { file, line: instance.line, directive: 'vrrp_instance' };
  const sameName = earlier.find((other) => other.name === instance.name);
  if (sameName) {
    throw new ConfigError(where, `vrrp instance ${instance.name} already defined at line ${sameName.line}`,
      'give each vrrp_instance its own name, or merge the two blocks');
  }
  const sameRouter = instance.virtualRouterId === undefined ? undefined
    : earlier.find((other) => other.virtualRouterId === instance.virtualRouterId && other.interface === instance.interface);
  if (sameRouter) {
    throw new ConfigError(where, `${instance.name} has virtual_router_id ${instance.virtualRouterId} on ${instance.interface}, as ${sameRouter.name} at line ${sameRouter.line} does`,
      'give each vrrp_instance on one interface its own virtual_router_id');
  }
}

/**
 * @param {Directive[]} blocks every `global_defs` block (keepalived merges them)
 * @param {string} file
 * @param {ConfigError[]} errors
 * @returns {Omit<KeepalivedConfig, 'scripts' | 'instances'>}
 */
function readGlobalDefs(blocks, file, errors) {
  /** @type {Omit<KeepalivedConfig, 'scripts' | 'instances'>} */
  const config = { routerId: undefined, scriptSecurity: false, scriptUser: undefined, version: 2 };
  for (const directive of blocks.flatMap((block) => collect(errors, () => blockOf(block, file)) ?? [])) {
    collect(errors, () => {
      switch (directive.name) {
        case 'router_id': config.routerId = singleValue(directive, file); break;
        case 'enable_script_security': config.scriptSecurity = flag(directive, file); break;
        case 'script_user': config.scriptUser = readScriptUser(directive, file); break;
        case 'vrrp_version': config.version = /** @type {2 | 3} */ (integerIn(directive, file, 2, 3)); break;
        default: failUnknown(directive, file, 'global_defs', GLOBAL_DEFS);
      }
    });
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
 * @param {ConfigError[]} errors where each error of a line inside the block goes
 * @returns {ScriptConfig}
 */
function readScript(block, file, global, errors) {
  const children = blockOf(block, file, 1);
  if (!global.scriptSecurity || !global.scriptUser) {
    // keepalived 2.2 logs "SECURITY VIOLATION - scripts are being executed but script_security not enabled" and
    // `keepalived -t` fails; with enable_script_security alone it looks for the user keepalived_script.
    collect(errors, () => fail(block, file, 'keepalived refuses to run scripts unless script security is enabled in global_defs',
      'add to global_defs: enable_script_security, and script_user root (on a real host the user must exist)'));
  }
  /** @type {Partial<ScriptConfig>} */
  const script = { name: block.args[0], line: block.line, interval: 1, weight: 0, fall: 1, rise: 1 };
  for (const directive of children) collect(errors, () => readScriptLine(script, directive, file));
  // A script line the lab cannot run is an error already: it is no reason to report a missing one.
  const refusedLine = children.some((d) => d.name === 'script');
  if (!script.command && !refusedLine) fail(block, file, `'${script.name}' has no script line`, 'add: script "/usr/bin/killall -0 haproxy"');
  // keepalived's default timeout is 0 (its dump shows "Timeout = 0 sec"); the miniature bounds every run by its interval.
  script.timeout ??= script.interval;
  return /** @type {ScriptConfig} */ (script);
}

/**
 * One line of a vrrp_script block.
 * @param {Partial<ScriptConfig>} script
 * @param {Directive} directive
 * @param {string} file
 */
function readScriptLine(script, directive, file) {
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

/**
 * @param {InstanceConfig} instance
 * @param {ScriptConfig[]} scripts the scripts read without error
 * @param {string[]} scriptNames the names of every vrrp_script block, with errors or not
 * @param {string} file
 * @param {ConfigError[]} errors
 */
function checkTrackedScripts(instance, scripts, scriptNames, file, errors) {
  for (const tracked of instance.trackScripts) {
    const script = scripts.find((s) => s.name === tracked.address);
    if (!script && scriptNames.includes(tracked.address)) continue; // its own errors are reported already
    if (!script) {
      errors.push(new ConfigError({ file, line: tracked.line, directive: tracked.address }, 'no vrrp_script has this name',
        scripts.length ? `defined scripts: ${scripts.map((s) => s.name).join(', ')}` : 'define it first: vrrp_script NAME { script "..." }'));
    } else if (instance.priority === 255 && script.weight !== 0) {
      errors.push(new ConfigError({ file, line: tracked.line, directive: tracked.address },
        'priority 255 means this router owns the address, and keepalived ignores weighted scripts for an owner',
        'use a priority from 1 to 254, or a script with weight 0'));
    }
  }
}
