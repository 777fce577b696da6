// @ts-check
/**
 * The real `nginx -t` on every file of the corpus still gives the verdict recorded in fixtures/broken/verdicts.json:
 * the exit status, the file and line its error names, and what it says (bytes read as Latin-1, as nginx prints them;
 * paths inside the corpus folder, relative to it).
 *
 * The files are checked as they are, byte for byte, with the corpus folder as nginx's prefix and only the pid file
 * moved (`-g 'pid ...;'`, none of the files names one). nginx -t opens its compiled-in logs and temporary folders,
 * which only root may write, and looks up a host name it cannot parse as an address (`300.1.1.1`, `app-99`): it runs
 * as root, in a network namespace of its own (`unshare -n`), where no lookup leaves the machine.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { NGINX, NGINX_SKIP } from './harness.js';
import { CORPUS, expectedPlace, nginxPlace, readCorpus } from './corpus.js';

const skip = NGINX_SKIP
  || (process.getuid?.() !== 0 && 'needs root: nginx -t opens its compiled-in log files and temporary folders')
  || (spawnSync('unshare', ['-n', 'true']).status !== 0 && 'needs a network namespace (unshare -n), so that no name is looked up outside the machine');
const dir = skip ? '' : mkdtempSync(path.join(tmpdir(), 'nginx-corpus-'));
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

for (const entry of readCorpus()) {
  test(`nginx -t ${entry.file}: ${entry.what}`, { skip }, () => {
    const args = ['-n', /** @type {string} */ (NGINX), '-t', '-p', `${CORPUS}/`, '-c', path.join(CORPUS, entry.file), '-e', 'stderr',
      '-g', `pid ${path.join(dir, 'nginx.pid')};`];
    const result = spawnSync('unshare', args, { encoding: 'latin1', timeout: 30_000 });
    const output = `${result.stdout}${result.stderr}`;
    // What it says names files by their full path; the verdicts by their path in the corpus.
    const said = output.replaceAll(`${CORPUS}/`, '');
    assert.equal(result.status, entry.nginx.status, output);
    if (entry.nginx.status === 0) return;
    assert.deepEqual(nginxPlace(output), expectedPlace(entry, entry.nginx), output);
    assert.ok(said.includes(entry.nginx.says ?? ''), `expected "${entry.nginx.says}" in:\n${output}`);
  });
}
