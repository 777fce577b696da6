// @ts-check
/**
 * The real keepalived's own check, `keepalived -t -f FILE`, for the tests that hold configuration files against it.
 * keepalived -t checks that each `interface` exists, so it runs inside a network namespace of its own that has
 * those interfaces: creating one needs root and the `ip` command. A namespace also has no route out, so a program
 * checked in it cannot ask a DNS server anything: a host name in a configuration fails there at once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * @typedef {object} Namespace
 * @property {string} name
 * @property {(command: string[]) => string[]} command  the same command, run inside the namespace
 * @property {() => void} remove
 */

/** @param {string[]} command */
export function run(command) {
  const [program, ...args] = command;
  return spawnSync(program, args, { encoding: 'utf8' });
}

/** Why a network namespace cannot be created here, or false when it can. */
export function namespaceSkipReason() {
  if (process.platform !== 'linux') return 'needs Linux network namespaces';
  if (process.getuid?.() !== 0) return 'needs root, to create a network namespace';
  if (run(['ip', '-V']).error) return 'needs the ip command (iproute2)';
  return false;
}

/** Why the real keepalived -t cannot run here, or false when it can. */
export function keepalivedSkipReason() {
  if (run(['keepalived', '--version']).error) return 'keepalived is not installed';
  const noNamespace = namespaceSkipReason();
  if (noNamespace) return noNamespace;
  if (!existsSync('/usr/bin/killall')) return 'keepalived disables a script whose program is missing: install psmisc for /usr/bin/killall';
  return false;
}

/**
 * Creates a network namespace that has the given interfaces. A dummy interface needs the dummy kernel module; a
 * veth pair is always there, so it is the fallback.
 * @param {string} name
 * @param {string[]} [interfaces]
 * @returns {Namespace}
 */
export function createNamespace(name, interfaces = ['eth0']) {
  const created = run(['ip', 'netns', 'add', name]);
  if (created.status !== 0) throw new Error(`ip netns add ${name} failed: ${created.stderr}`);
  const remove = () => { run(['ip', 'netns', 'delete', name]); };
  for (const [i, device] of interfaces.entries()) {
    const dummy = run(['ip', '-n', name, 'link', 'add', device, 'type', 'dummy']);
    if (dummy.status === 0) continue;
    const veth = run(['ip', '-n', name, 'link', 'add', device, 'type', 'veth', 'peer', 'name', `peer${i}`]);
    if (veth.status !== 0) {
      remove();
      throw new Error(`could not add the interface ${device} to the namespace ${name}: ${veth.stderr}`);
    }
  }
  return { name, command: (command) => ['ip', 'netns', 'exec', name, ...command], remove };
}

/**
 * `keepalived -t -f FILE` inside the namespace.
 * @param {Namespace} namespace
 * @param {string} file
 */
export function keepalivedCheck(namespace, file) {
  return run(namespace.command(['keepalived', '-t', '-f', file]));
}
