import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LabError } from './manifest';
import { entryPort, validateLab } from './validate-lab';

const FIXTURES = fileURLToPath(new URL('./fixtures/labs', import.meta.url));
const LAB = '09-fixture-lab';
let root: string;
let labDir: string;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'validate-lab-'));
  cpSync(FIXTURES, path.join(root, 'labs'), { recursive: true });
  labDir = path.join(root, 'labs', LAB);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function edit(file: string, change: (json: any) => void): void {
  const full = path.join(labDir, file);
  const json = JSON.parse(readFileSync(full, 'utf8'));
  change(json);
  writeFileSync(full, JSON.stringify(json));
}

function problems(): string[] {
  try {
    validateLab(labDir, { root });
  } catch (error) {
    expect(error).toBeInstanceOf(LabError);
    return (error as Error).message.split('\n');
  }
  throw new Error('the lab was accepted');
}

describe('validateLab', () => {
  it('accepts the fixture lab and finds the loopback port of its entry', () => {
    const { manifest, network } = validateLab(labDir, { root });
    expect(manifest.id).toBe(LAB);
    expect(entryPort(manifest, network)).toBe(20901);
  });

  it('names the check whose module is missing', () => {
    unlinkSync(path.join(labDir, 'checks', 'round-robin.js'));
    expect(problems()).toEqual([
      'labs/09-fixture-lab/lab.json: steps[1].checks[0].id: "round-robin" has no module: create labs/09-fixture-lab/checks/round-robin.js, or fix the id',
    ]);
  });

  it('names an editable file that is not a starter file, and a service its server does not run', () => {
    edit('lab.json', (lab) => {
      lab.editable[1].file = 'web-01/nginx.cnf';
      lab.editable[0].service = 'nginx';
    });
    expect(problems()).toEqual([
      'labs/09-fixture-lab/lab.json: editable[0].service: "nginx" is not a service of lb-01: use one of haproxy',
      'labs/09-fixture-lab/lab.json: editable[1].file: "web-01/nginx.cnf" is not a starter file: create labs/09-fixture-lab/files/web-01/nginx.cnf, or fix the path',
    ]);
  });

  it('names a program the kit does not have, and lists those it has', () => {
    edit('lab.json', (lab) => {
      lab.topology.servers[0].services[0].program = 'haproxy';
    });
    expect(problems()).toEqual([
      'labs/09-fixture-lab/lab.json: topology.servers[0].services[0].program: "haproxy" is not a program of the kit' +
        ' (there is no labs/kit/haproxy/index.js); the kit has balancer, lab, web',
    ]);
  });

  it('refuses two servers of the same name', () => {
    edit('lab.json', (lab) => {
      lab.topology.servers[2].name = 'web-01';
    });
    expect(problems()).toEqual(['labs/09-fixture-lab/lab.json: topology.servers[2].name: "web-01" names two servers: give each server its own name']);
  });

  it('checks the ports: the control port of the lab, the range, and the entry in the network table', () => {
    edit('lab.json', (lab) => {
      lab.topology.control = 20200;
      lab.topology.entry = '10.0.0.200:80';
    });
    edit('network.json', (network) => {
      network.ports['web-02:80'] = 20221;
      network.ports['web-01:80'] = 20900;
    });
    expect(problems()).toEqual([
      'labs/09-fixture-lab/lab.json: topology.control: is 20200, but lab 09 uses the ports 20900 to 20999, and its control port is 20900',
      'labs/09-fixture-lab/network.json: ports["web-01:80"]: is 20900, the supervisor\'s control port: pick a port from 20901 to 20999',
      'labs/09-fixture-lab/network.json: ports["web-02:80"]: is 20221, outside lab 09\'s ports: pick one from 20901 to 20999',
      'labs/09-fixture-lab/lab.json: topology.entry: "10.0.0.200:80" has no port in the network table: add "10.0.0.200:80": <a port from 20901 to 20999> to "ports" in network.json',
    ]);
  });

  it('wants every server in the network table and an id equal to the folder', () => {
    edit('network.json', (network) => {
      delete network.hosts['web-02'];
    });
    edit('lab.json', (lab) => {
      lab.id = '09-other-lab';
    });
    expect(problems()).toEqual([
      'labs/09-fixture-lab/lab.json: id: is "09-other-lab" but the lab\'s folder is "09-fixture-lab": make them the same',
      'labs/09-fixture-lab/network.json: hosts: has no address for the server "web-02": add "web-02": "10.0.0.x"',
    ]);
  });

  it('reports the schema problems of both files together, before any reference', () => {
    edit('lab.json', (lab) => {
      lab.steps[0].checks[0].titel = 'typo';
    });
    writeFileSync(path.join(labDir, 'network.json'), '{ "hosts": {} ');
    expect(problems()).toEqual([
      expect.stringMatching(/^labs\/09-fixture-lab\/lab\.json: steps\[0\]\.checks\[0\]\.titel: unknown field: remove it or fix its spelling \(did you mean "title"\?\)/),
      expect.stringMatching(/^labs\/09-fixture-lab\/network\.json: is not valid JSON/),
    ]);
  });
});
