/**
 * Node only (the build and `labs:verify`; the page never imports it): checks a lab's folder as a whole. The manifest
 * and the network table must parse, and every reference must hold: each check has its module, each editable file is a
 * starter file, each program is in the kit, names are unique, and the ports fit the lab's range and its network table.
 * Every problem names its file and field and says what to do; all of them are reported at once.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Network, parseAddress } from '../../labs/kit/lib/network.js';
import { LabError, parseManifest, parseNetworkTable, type LabManifest, type LabProblem, type NetworkTable } from './manifest';

export interface ValidateOptions {
  /** The kit's folder; by default `kit` beside the lab's folder. */
  kitDir?: string;
  /** File names in messages are relative to this folder (the site's); by default the current directory. */
  root?: string;
}

export interface ValidLab {
  manifest: LabManifest;
  network: NetworkTable;
}

/** Validates labs/NN-slug/ and returns its manifest and network table; throws a LabError listing every problem. */
export function validateLab(labDir: string, options: ValidateOptions = {}): ValidLab {
  const kitDir = options.kitDir ?? path.join(labDir, '..', 'kit');
  const shown = (...parts: string[]) => path.relative(options.root ?? process.cwd(), path.join(...parts)).split(path.sep).join('/');
  const manifestFile = shown(labDir, 'lab.json');
  const networkFile = shown(labDir, 'network.json');

  const problems: LabProblem[] = [];
  const manifest = collect(problems, () => parseManifest(readText(labDir, 'lab.json', manifestFile), manifestFile));
  const network = collect(problems, () => parseNetworkTable(readText(labDir, 'network.json', networkFile), networkFile));
  if (!manifest || !network) throw new LabError(problems);

  const lab = new Problems(problems, manifestFile);
  const folder = path.basename(path.resolve(labDir));
  if (manifest.id !== folder) lab.add('id', `is "${manifest.id}" but the lab's folder is "${folder}": make them the same`);

  checkTopology(manifest, kitDir, shown(kitDir), lab);
  checkSteps(manifest, labDir, shown(labDir, 'checks'), lab);
  checkEditable(manifest, labDir, shown(labDir, 'files'), lab);
  checkNetwork(manifest, network, lab, new Problems(problems, networkFile));
  if (problems.length > 0) throw new LabError(problems);
  return { manifest, network };
}

class Problems {
  constructor(readonly list: LabProblem[], readonly file: string) {}
  add(fieldPath: string, message: string): void {
    this.list.push({ file: this.file, path: fieldPath, message });
  }
}

function collect<T>(problems: LabProblem[], parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}

function readText(labDir: string, name: string, shownFile: string): string {
  const file = path.join(labDir, name);
  if (!existsSync(file)) throw new LabError([{ file: shownFile, path: '', message: 'does not exist: every lab folder has one (see labs/kit/README.md)' }]);
  return readFileSync(file, 'utf8');
}

function checkTopology(manifest: LabManifest, kitDir: string, shownKit: string, lab: Problems): void {
  const programs = existsSync(kitDir) ? readdirSync(kitDir).filter((name) => isProgram(kitDir, name)) : [];
  const servers = new Set<string>();
  manifest.topology.servers.forEach((server, i) => {
    const at = `topology.servers[${i}]`;
    if (servers.has(server.name)) lab.add(`${at}.name`, `"${server.name}" names two servers: give each server its own name`);
    servers.add(server.name);
    const services = new Set<string>();
    server.services.forEach((service, j) => {
      if (services.has(service.name)) lab.add(`${at}.services[${j}].name`, `"${service.name}" names two services of ${server.name}: give each its own name`);
      services.add(service.name);
      if (!programs.includes(service.program)) {
        lab.add(`${at}.services[${j}].program`, `"${service.program}" is not a program of the kit (there is no ${shownKit}/${service.program}/index.js);` +
          ` the kit has ${programs.join(', ') || 'no programs'}`);
      }
    });
  });
}

function isProgram(kitDir: string, name: string): boolean {
  return existsSync(path.join(kitDir, name, 'index.js')) || existsSync(path.join(kitDir, name, 'package.json'));
}

function checkSteps(manifest: LabManifest, labDir: string, shownChecks: string, lab: Problems): void {
  const steps = new Set<string>();
  const checks = new Set<string>();
  manifest.steps.forEach((step, i) => {
    if (steps.has(step.id)) lab.add(`steps[${i}].id`, `"${step.id}" names two steps: give each step its own id`);
    steps.add(step.id);
    step.checks.forEach((check, j) => {
      const at = `steps[${i}].checks[${j}].id`;
      if (checks.has(check.id)) lab.add(at, `"${check.id}" is listed twice: a check belongs to one step`);
      checks.add(check.id);
      if (!existsSync(path.join(labDir, 'checks', `${check.id}.js`))) {
        lab.add(at, `"${check.id}" has no module: create ${shownChecks}/${check.id}.js, or fix the id`);
      }
    });
  });
}

function checkEditable(manifest: LabManifest, labDir: string, shownFiles: string, lab: Problems): void {
  const seen = new Set<string>();
  manifest.editable.forEach((editable, i) => {
    const at = `editable[${i}]`;
    if (seen.has(editable.file)) lab.add(`${at}.file`, `"${editable.file}" is listed twice: list each file once`);
    seen.add(editable.file);
    if (!existsSync(path.join(labDir, 'files', ...editable.file.split('/')))) {
      lab.add(`${at}.file`, `"${editable.file}" is not a starter file: create ${shownFiles}/${editable.file}, or fix the path`);
    }
    const server = manifest.topology.servers.find((s) => s.name === editable.server);
    if (!server) {
      lab.add(`${at}.server`, `"${editable.server}" is not a server of topology.servers: use one of ${manifest.topology.servers.map((s) => s.name).join(', ')}`);
    } else if (!server.services.some((s) => s.name === editable.service)) {
      lab.add(`${at}.service`, `"${editable.service}" is not a service of ${server.name}: use one of ${server.services.map((s) => s.name).join(', ')}`);
    }
  });
}

function checkNetwork(manifest: LabManifest, network: NetworkTable, lab: Problems, table: Problems): void {
  const number = Number(manifest.id.slice(0, 2));
  // Below every system's ephemeral range (Linux 32768-60999, macOS and Windows 49152-65535): a port there can be
  // taken for a moment as the source port of any outgoing connection (the load a lab sends, say), and a server
  // restarted at that moment could not listen.
  const control = 20000 + number * 100;
  const { topology } = manifest;
  if (topology.control !== control) {
    lab.add('topology.control', `is ${topology.control}, but lab ${manifest.id.slice(0, 2)} uses the ports ${control} to ${control + 99}, and its control port is ${control}`);
  }
  for (const server of topology.servers) {
    if (!(server.name in network.hosts)) table.add('hosts', `has no address for the server "${server.name}": add "${server.name}": "10.0.0.x"`);
  }
  const owners = new Map<number, string>();
  for (const [address, port] of Object.entries(network.ports)) {
    const at = `ports["${address}"]`;
    if (port === control) table.add(at, `is ${port}, the supervisor's control port: pick a port from ${control + 1} to ${control + 99}`);
    else if (port <= control || port > control + 99) table.add(at, `is ${port}, outside lab ${manifest.id.slice(0, 2)}'s ports: pick one from ${control + 1} to ${control + 99}`);
    const owner = owners.get(port);
    if (owner) table.add(at, `is ${port}, the port of "${owner}" too: give each address its own port`);
    owners.set(port, address);
  }
  const { host, port } = parseAddress(topology.entry);
  if (new Network(network).lookup(host, port) === undefined) {
    lab.add('topology.entry', `"${topology.entry}" has no port in the network table: add "${topology.entry}": <a port from ${control + 1} to ${control + 99}> to "ports" in network.json`);
  }
}

/** The loopback port of the lab's entry address: what the page's preview shows. */
export function entryPort(manifest: LabManifest, network: NetworkTable): number {
  const { host, port } = parseAddress(manifest.topology.entry);
  const mapped = new Network(network).lookup(host, port);
  if (mapped === undefined) throw new Error(`the entry ${manifest.topology.entry} of lab ${manifest.id} has no port in its network table`);
  return mapped;
}
