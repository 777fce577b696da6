// @ts-check
/**
 * The workspace a lab runs in: a folder holding `lab.json` (the manifest), `network.json` (the lab network table),
 * `checks/`, the kit in `kit/`, one folder per server (`lb-01/haproxy.cfg`) and the supervisor's own files in `.lab/`.
 * Every part of the `lab` command and the supervisor finds its way around through this module.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Network } from '../lib/network.js';
import { LabError } from './errors.js';

const ROLES = ['balancer', 'web', 'app', 'database'];

/**
 * @typedef {{ name: string, program: string, args?: string[] }} ServiceSpec
 * @typedef {{ name: string, role: 'balancer' | 'web' | 'app' | 'database', services: ServiceSpec[] }} ServerSpec
 * @typedef {{ control: number, entry: string, servers: ServerSpec[] }} Topology
 * @typedef {{ id: string, title: string }} CheckSpec
 * @typedef {{ id: string, title: string, instructions: string, hints?: string[], checks: CheckSpec[] }} StepSpec
 * @typedef {{ file: string, server: string, service: string }} EditableSpec
 * @typedef {{ format: number, id: string, title: string, summary?: string, topology: Topology,
 *   editable?: EditableSpec[], steps: StepSpec[] }} Manifest
 */

/**
 * The workspace's folder: LAB_HOME when set, else the nearest folder holding lab.json, from `cwd` upwards.
 * @param {string} [cwd]
 * @param {NodeJS.ProcessEnv} [env]
 */
export function findHome(cwd = process.cwd(), env = process.env) {
  if (env.LAB_HOME) {
    const home = path.resolve(env.LAB_HOME);
    if (!existsSync(path.join(home, 'lab.json'))) {
      throw new LabError(`LAB_HOME is ${home}, but there is no lab.json there: set LAB_HOME to a lab's folder, or unset it`);
    }
    return home;
  }
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'lab.json'))) return dir;
    if (path.dirname(dir) === dir) {
      throw new LabError(`there is no lab here: no lab.json in ${path.resolve(cwd)} or above it.` +
        ' Run `lab` inside a lab\'s folder, or set LAB_HOME to one');
    }
  }
}

/**
 * Everything about one workspace that the supervisor and the `lab` command need.
 * @param {string} home
 */
export function openWorkspace(home) {
  const manifest = readManifest(home);
  const state = path.join(home, '.lab');
  return {
    home,
    manifest,
    topology: manifest.topology,
    kit: path.join(home, 'kit'),
    networkFile: path.join(home, 'network.json'),
    stateDir: state,
    logsDir: path.join(state, 'logs'),
    starterDir: path.join(state, 'starter'),
    pidFile: path.join(state, 'supervisor.json'),
    supervisorLog: path.join(state, 'supervisor.log'),
    controlUrl: `http://127.0.0.1:${manifest.topology.control}`,
  };
}

/** @typedef {ReturnType<typeof openWorkspace>} Workspace */

/**
 * The lab network table of a workspace, for connecting to lab addresses from outside the servers.
 * @param {Workspace} workspace
 */
export function loadWorkspaceNetwork(workspace) {
  if (!existsSync(workspace.networkFile)) return new Network({});
  try {
    return new Network(JSON.parse(readFileSync(workspace.networkFile, 'utf8')));
  } catch (error) {
    throw new LabError(`cannot read ${workspace.networkFile}: ${/** @type {Error} */ (error).message}`);
  }
}

/**
 * Reads lab.json and checks the parts that the supervisor relies on, so that a mistake is reported by name.
 * @param {string} home
 * @returns {Manifest}
 */
export function readManifest(home) {
  const file = path.join(home, 'lab.json');
  /** @type {Manifest} */
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new LabError(`cannot read ${file}: ${/** @type {Error} */ (error).message}`);
  }
  const problem = topologyProblem(manifest.topology);
  if (problem) throw new LabError(`${file}: ${problem}`);
  if (!Array.isArray(manifest.steps)) manifest.steps = [];
  return manifest;
}

/**
 * @param {Topology | undefined} topology
 * @returns {string | undefined} what is wrong, naming the field
 */
function topologyProblem(topology) {
  if (!topology || typeof topology !== 'object') return '"topology" is missing: see labs/kit/README.md';
  if (!Number.isInteger(topology.control)) return '"topology.control" must be a port number, e.g. 20200';
  if (typeof topology.entry !== 'string') return '"topology.entry" must be an address such as "lb-01:80"';
  if (!Array.isArray(topology.servers) || topology.servers.length === 0) {
    return '"topology.servers" must list at least one server';
  }
  const names = new Set();
  for (const [i, server] of topology.servers.entries()) {
    const where = `topology.servers[${i}]`;
    if (typeof server.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(server.name)) {
      return `"${where}.name" must be a server name such as "web-01"`;
    }
    if (names.has(server.name)) return `"${where}.name": the server ${server.name} is listed twice`;
    names.add(server.name);
    if (!ROLES.includes(server.role)) return `"${where}.role" must be one of ${ROLES.join(', ')}`;
    if (!Array.isArray(server.services) || server.services.length === 0) {
      return `"${where}.services" must list at least one service`;
    }
    const services = new Set();
    for (const [j, service] of server.services.entries()) {
      if (typeof service.name !== 'string' || services.has(service.name)) {
        return `"${where}.services[${j}].name" must be a name that is unique on ${server.name}`;
      }
      services.add(service.name);
      if (typeof service.program !== 'string' || service.program === '') {
        return `"${where}.services[${j}].program" must name a kit program such as balancer, web, app, db or vrrp`;
      }
      if (service.args !== undefined && !(Array.isArray(service.args) && service.args.every((a) => typeof a === 'string'))) {
        return `"${where}.services[${j}].args" must be a list of strings`;
      }
    }
  }
  return undefined;
}

/**
 * Every check id of the manifest, in the order of its steps.
 * @param {Manifest} manifest
 */
export function checkIds(manifest) {
  return manifest.steps.flatMap((step) => (step.checks ?? []).map((check) => check.id));
}

/** The workspace of the current directory (or LAB_HOME). */
export function currentWorkspace() {
  return openWorkspace(findHome());
}
