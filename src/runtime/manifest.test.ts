import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LabError, ManifestSchema, formatPath, parseManifest, parseNetworkTable } from './manifest';

const FILE = 'labs/09-fixture-lab/lab.json';
const good = (): Record<string, any> => JSON.parse(readFileSync(new URL('./fixtures/labs/09-fixture-lab/lab.json', import.meta.url), 'utf8'));

function problemsOf(json: unknown): string[] {
  try {
    parseManifest(json, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(LabError);
    return (error as Error).message.split('\n');
  }
  throw new Error('the manifest was accepted');
}

describe('parseManifest', () => {
  it('accepts a good manifest, from its text or parsed', () => {
    const text = JSON.stringify(good());
    expect(parseManifest(text, FILE).steps[1].checks[0].id).toBe('round-robin');
    expect(parseManifest(good(), FILE).topology.servers.map((s) => s.name)).toEqual(['lb-01', 'web-01', 'web-02']);
  });

  it('names the file and the path of an unknown field, and suggests the field meant', () => {
    const manifest = good();
    manifest.steps[0].hint = ['a typo for hints'];
    expect(problemsOf(manifest)).toEqual([
      expect.stringMatching(/^labs\/09-fixture-lab\/lab\.json: steps\[0\]\.hint: unknown field: remove it or fix its spelling \(did you mean "hints"\?\); the fields allowed here are id, title, instructions, hints, checks$/),
    ]);
  });

  it('says a missing field is missing, and what it is for', () => {
    const manifest = good();
    delete manifest.topology.servers[1].role;
    delete manifest.summary;
    const problems = problemsOf(manifest);
    expect(problems).toContain(`${FILE}: summary: is missing: add it (One sentence shown on the lab panel before it starts.)`);
    expect(problems).toContainEqual(expect.stringMatching(/^labs\/09-fixture-lab\/lab\.json: topology\.servers\[1\]\.role: is missing: add it \(What the server does/));
  });

  it('explains a bad check id at its exact place', () => {
    const manifest = good();
    manifest.steps[1].checks[0].id = 'Round Robin';
    expect(problemsOf(manifest)).toEqual([
      `${FILE}: steps[1].checks[0].id: "Round Robin" is not a valid check id: use lowercase letters, digits and single dashes,` +
        ' as it names the module checks/<id>.js (Names the check\'s module, checks/<id>.js: "round-robin".)',
    ]);
  });

  it('reports every problem at once, with the allowed values of an enum and the right type', () => {
    const manifest = good();
    manifest.format = 2;
    manifest.topology.servers[0].role = 'loadbalancer';
    manifest.topology.control = '20900';
    const problems = problemsOf(manifest);
    expect(problems).toHaveLength(3);
    expect(problems).toContainEqual(expect.stringContaining(`${FILE}: format: 2 is not allowed: write 1`));
    expect(problems).toContainEqual(expect.stringContaining('topology.servers[0].role: "loadbalancer" is not allowed: write "balancer" or "web" or "app" or "database"'));
    expect(problems).toContainEqual(expect.stringContaining('topology.control: must be a whole number, not string "20900"'));
  });

  it('names the file of a manifest that is not JSON', () => {
    expect(problemsOf('{ "format": 1, }')).toEqual([expect.stringMatching(/^labs\/09-fixture-lab\/lab\.json: is not valid JSON \(.+\): check the commas and quotes there$/)]);
  });

  it('refuses a workspace path that climbs out', () => {
    const manifest = good();
    manifest.editable[0].file = '../secret';
    expect(problemsOf(manifest)).toEqual([expect.stringContaining(`${FILE}: editable[0].file: "../secret" is not a workspace path`)]);
  });
});

describe('the schema', () => {
  it('describes every field, so that every message can say what a field is for', () => {
    const undescribed: string[] = [];
    const visit = (schema: any, at: string) => {
      if (!schema.description) undescribed.push(at || '(root)');
      const def = schema._zod.def;
      if (def.type === 'object') for (const [key, child] of Object.entries(def.shape)) visit(child, at ? `${at}.${key}` : key);
      if (def.type === 'array') visit(def.element, `${at}[]`);
      if (def.type === 'record') visit(def.valueType, `${at}{}`);
    };
    visit(ManifestSchema, '');
    expect(undescribed).toEqual([]);
  });
});

describe('parseNetworkTable', () => {
  it('names the file and the entry with a wrong port', () => {
    expect(() => parseNetworkTable({ hosts: {}, ports: { 'web-01:80': 'x' } }, 'labs/09-fixture-lab/network.json'))
      .toThrow('labs/09-fixture-lab/network.json: ports.web-01:80: must be a whole number, not string "x"');
  });
});

describe('formatPath', () => {
  it('writes indexes in brackets and keys with dots', () => {
    expect(formatPath(['steps', 1, 'checks', 0, 'id'])).toBe('steps[1].checks[0].id');
    expect(formatPath([])).toBe('');
  });
});
