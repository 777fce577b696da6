// @ts-check
/**
 * The worker of config-fuzz.test.js: reads each input it is given with one tier's configuration reader and posts,
 * for every input, how the reading ended and how long it took. It runs in a worker so that the test can stop it
 * when one reading never ends, and still say which input it was.
 *
 *   workerData: { reader: string, inputs: string[] }   inputs in base64, as bytes are what a file holds
 *   posts:      { index, ms, outcome: 'read' | 'refused' | 'crashed', detail }
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { ConfigError } from '../config-error.js';
import { Network } from '../network.js';
import { parseConfig as parseHaproxyCfg } from '../../balancer/config.js';
import { parseMyCnf } from '../../db/my-cnf.js';
import { parseScript } from '../../db/sql.js';
import { SqlError } from '../../db/sql-tokens.js';
import { parseKeepalivedConf } from '../../vrrp/config.js';
import { loadConfig as loadNginxConf } from '../../web/config.js';

const network = new Network({
  hosts: { 'web-01': '10.0.0.21', 'web-02': '10.0.0.22', 'app-01': '10.0.0.31', 'app-02': '10.0.0.32' },
  ports: { 'web-01:80': 40001, 'web-02:80': 40002, 'app-01:3000': 40003, 'app-02:3000': 40004 },
});
const dir = mkdtempSync(path.join(tmpdir(), 'config-fuzz-'));

/** @type {Record<string, (text: string) => unknown>} each reader, given the file's text */
const READERS = {
  'nginx.conf': (text) => {
    // The web tier reads from a file, and follows includes from its folder.
    const file = path.join(dir, 'nginx.conf');
    writeFileSync(file, text);
    return loadNginxConf(file, { prefix: dir, network });
  },
  'keepalived.conf': (text) => parseKeepalivedConf(text, 'keepalived.conf'),
  'haproxy.cfg': (text) => parseHaproxyCfg(text, 'haproxy.cfg', network),
  'my.cnf': (text) => parseMyCnf(text, path.join(dir, 'my.cnf')),
  'grants.sql': (text) => parseScript(text),
};

const { reader, inputs } = /** @type {{ reader: string, inputs: string[] }} */ (workerData);
const read = READERS[reader];
inputs.forEach((input, index) => {
  const text = Buffer.from(input, 'base64').toString('utf8');
  const start = performance.now();
  let outcome = 'read';
  let detail = '';
  try {
    read(text);
  } catch (error) {
    const refusal = (error instanceof ConfigError && Number.isInteger(error.line))
      || (error instanceof SqlError && typeof error.format === 'function');
    outcome = refusal ? 'refused' : 'crashed';
    detail = refusal ? /** @type {ConfigError | SqlError} */ (error).format() : String(/** @type {Error} */ (error)?.stack ?? error);
  }
  parentPort?.postMessage({ index, ms: performance.now() - start, outcome, detail });
});
rmSync(dir, { recursive: true, force: true });
