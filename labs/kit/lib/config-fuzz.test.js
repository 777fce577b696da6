// @ts-check
/**
 * No configuration reader of the kit may hang, or crash with a stack, whatever bytes a file holds. For each
 * reader, a few thousand inputs (random bytes, and the tier's example files with random edits: invisible
 * characters, quotes, braces, lines cut or repeated) are read in a worker; every reading must end within
 * SLOW_MS with the reading done or a refusal that names a line (ConfigError; SqlError for SQL). A reading that
 * never ends stops the worker after HANG_MS and names the input.
 *
 * The inputs come from a seeded generator: set FUZZ_SEED to replay a run, FUZZ_COUNT to read more of them.
 * Crashes in the readers of tiers this file does not own are reported as `todo`, with the input, for their owners.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const COUNT = Number(process.env.FUZZ_COUNT ?? 3000);
/** One reading of a small file takes well under a millisecond; this leaves room for a busy machine. */
const SLOW_MS = 200;
/** No answer from the worker for this long means a reading that never ends. */
const HANG_MS = 5000;
/** A reader that loops while it piles up tokens (the bug this file was written for) runs out of this first. */
const MEMORY_MB = 256;
const WORKER = new URL('./testing/fuzz-worker.js', import.meta.url);

const example = (/** @type {string} */ file) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');

/** Each reader, its example files, and whether this file's owner owns it (else a crash is a `todo`). */
const READERS = [
  { reader: 'keepalived.conf', owned: true, examples: ['vrrp/examples/keepalived-lb-01.conf', 'vrrp/examples/keepalived-lb-02.conf'] },
  { reader: 'nginx.conf', owned: false, examples: ['web/examples/nginx.conf'] },
  { reader: 'haproxy.cfg', owned: false, examples: ['balancer/examples/two-web-servers.cfg', 'balancer/examples/web-and-app.cfg'] },
  { reader: 'my.cnf', owned: false, examples: ['db/examples/my.cnf'] },
  { reader: 'grants.sql', owned: false, examples: ['db/examples/grants.sql'] },
];

/** What people's files really contain by mistake, and what the readers treat specially. */
const SNIPPETS = ['\f', '\v', '\u00a0', '\ufeff', '\0', '\r', '\r\n', '\t', '\u200b', '\u2028', '\x01', '\x7f', '\ufffd',
  '"', "'", '\\', '{', '}', ';', '#', '!', '\n', ' ', '[', ']', '=', '`', '/*', '--', '-0', 'include ', '\ud800'];

/** @param {number} seed mulberry32: small, fast and good enough to spread inputs */
function generator(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (/** @type {number} */ n) => Math.floor(next() * n), pick: (/** @type {any[]} */ list) => list[Math.floor(next() * list.length)] };
}

/**
 * Random bytes, half of them drawn from the snippets, as base64.
 * @param {ReturnType<typeof generator>} random
 */
function randomBytes(random) {
  const parts = [];
  for (let n = random.int(120); n > 0; n--) {
    parts.push(random.int(2) ? Buffer.from(random.pick(SNIPPETS)) : Buffer.from([random.int(256)]));
  }
  return Buffer.concat(parts).toString('base64');
}

/**
 * An example file with one to five random edits, as base64.
 * @param {ReturnType<typeof generator>} random
 * @param {string} text
 */
function mutated(random, text) {
  let out = text;
  for (let n = 1 + random.int(5); n > 0; n--) {
    const at = random.int(out.length + 1);
    const edit = random.int(4);
    if (edit === 0) out = out.slice(0, at) + random.pick(SNIPPETS) + out.slice(at);
    else if (edit === 1) out = out.slice(0, at) + out.slice(at + 1 + random.int(20));
    else if (edit === 2) out = out.slice(0, at) + String.fromCharCode(random.int(0x3100)) + out.slice(at + 1);
    else {
      const lines = out.split('\n');
      const i = random.int(lines.length);
      lines.splice(i, 0, lines[i]);
      out = lines.join('\n');
    }
  }
  return Buffer.from(out).toString('base64');
}

/**
 * Reads every input in a worker; resolves with each outcome, or with the index of the input that never ended.
 * @param {string} reader
 * @param {string[]} inputs base64
 * @returns {Promise<{ results: Array<{ index: number, ms: number, outcome: string, detail: string }>, hung?: number, why?: string }>}
 */
function readAll(reader, inputs) {
  return new Promise((resolve, reject) => {
    /** @type {Array<{ index: number, ms: number, outcome: string, detail: string }>} */
    const results = [];
    const worker = new Worker(WORKER, { workerData: { reader, inputs }, resourceLimits: { maxOldGenerationSizeMb: MEMORY_MB } });
    let watchdog = setTimeout(() => hang(), HANG_MS * 4); // the first message also waits for the modules to load
    const hang = (why = `no end after ${HANG_MS} ms`) => { worker.terminate(); resolve({ results, hung: results.length, why }); };
    worker.on('message', (result) => {
      results.push(result);
      clearTimeout(watchdog);
      if (results.length === inputs.length) resolve({ results });
      else watchdog = setTimeout(hang, HANG_MS);
    });
    worker.on('error', (error) => {
      clearTimeout(watchdog);
      if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ERR_WORKER_OUT_OF_MEMORY') hang(`out of memory (${MEMORY_MB} MB)`);
      else reject(error);
    });
    worker.on('exit', () => clearTimeout(watchdog));
  });
}

/** @param {string} base64 */
const show = (base64) => JSON.stringify(Buffer.from(base64, 'base64').toString('utf8'));

for (const { reader, owned, examples } of READERS) {
  test(`the ${reader} reader ends every reading of ${COUNT} random inputs, with a result or a refusal that names a line`,
    { timeout: 120_000 }, async (t) => {
      const random = generator(SEED);
      const texts = examples.map(example);
      const inputs = Array.from({ length: COUNT }, (_, i) => (i % 3 === 0 ? randomBytes(random) : mutated(random, random.pick(texts))));
      const { results, hung, why } = await readAll(reader, inputs);
      // A slow reading is timed again alone, so that a pause of a busy machine is not taken for a slow reader.
      const slow = results.filter((r) => r.ms > SLOW_MS);
      const stillSlow = slow.length ? (await readAll(reader, slow.map((r) => inputs[r.index]))).results.filter((r) => r.ms > SLOW_MS) : [];
      const problems = [
        ...(hung === undefined ? [] : [`reading input ${hung} never ended, ${why} (FUZZ_SEED=${SEED}): ${show(inputs[hung])}`]),
        ...results.filter((r) => r.outcome === 'crashed').slice(0, 3)
          .map((r) => `input ${r.index} crashed the reader (FUZZ_SEED=${SEED}): ${show(inputs[r.index])}\n${r.detail}`),
        ...stillSlow.slice(0, 3).map((r) => `an input took ${r.ms.toFixed(0)} ms: ${show(inputs[slow[r.index].index])}`),
      ];
      const refused = results.filter((r) => r.outcome === 'refused').length;
      t.diagnostic(`${results.length} inputs: ${results.length - refused} read, ${refused} refused, ${problems.length} problems`);
      if (problems.length > 0 && !owned) t.todo(`a reader of another tier: ${problems[0].split('\n')[0]}`);
      assert.deepEqual(problems, []);
    });
}
