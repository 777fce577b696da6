// @ts-check
/**
 * Step "Lose no acknowledged write": 16 clients write entries through app-01 and app-02 at once; db-01 is killed
 * (SIGKILL, as a power cut) in the middle of them and started again; then every entry that the application answered
 * with 201 (saved) must be there, with its text. Writes that were under way when db-01 died got an error: the
 * application never said they were saved, so the check does not look for them.
 */
import { explainFailure, readEntry, writeEntry } from './guestbook.js';

const WRITERS = 16;
const APPS = ['app-01', 'app-02'];
/** Enough acknowledged writes before the kill that a log flushed only now and then is sure to miss some. */
const WRITES_BEFORE_KILL = 100;

/** @param {import('../../kit/lab/check-context.js').CheckContext} lab */
export default async function check(lab) {
  await lab.expectUp('db-01', ...APPS);
  const run = new Date().toISOString();
  for (const app of APPS) {
    const { id, response } = await writeEntry(lab, app, 'lab check', `Durability check of ${run}: the first write, through ${app}.`);
    if (id === undefined) {
      throw new Error(`${explainFailure(app, response)} (Finish the step "Let the application tier in" first: this check writes through both application servers.)`);
    }
  }

  /** @type {Map<number, string>} entry id -> its message, for every write the application said was saved */
  const saved = new Map();
  let refused = 0;
  let stop = false;
  const writer = async (/** @type {number} */ w) => {
    for (let i = 0; !stop; i++) {
      const message = `Durability check of ${run}: writer ${w}, entry ${i}.`;
      const { id } = await writeEntry(lab, APPS[w % APPS.length], `writer ${w}`, message);
      if (id === undefined) {
        refused++;
        await lab.sleep(100);
      } else {
        saved.set(id, message);
      }
    }
  };
  const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
  try {
    // On a slow machine, kill after a few seconds whatever the count: what matters is that writes are under way.
    await lab.waitFor(() => saved.size >= WRITES_BEFORE_KILL, { timeoutMs: 6000, intervalMs: 50 }).catch(() => {});
    await lab.kill('db-01');
    await lab.sleep(500);
  } finally {
    stop = true;
    await Promise.all(writers);
  }
  if (saved.size === 0) throw new Error(`no write was saved in 6 s: ${refused} failed. See \`lab logs app-01\` and \`lab logs db-01\`.`);
  if (refused === 0) throw new Error('db-01 was killed, yet no write failed: is db-01 the database that the application servers use?');

  await lab.start('db-01');
  const missing = await findMissing(lab, saved);
  if (missing.length > 0) {
    const [id, message] = missing[0];
    throw new Error(`${missing.length} of the ${saved.size} entries that the application said were saved are gone after db-01` +
      ` was killed and started again; entry ${id} ("${message}") is one. db-01 acknowledged them before they were on its` +
      ' disk, and they died with its memory. Which setting of db-01/my.cnf decides when the log reaches the disk? Set it' +
      ' so that every commit is flushed, then run `lab restart db-01`.');
  }
  return `${saved.size} entries were saved by ${WRITERS} clients at once; db-01 was killed in the middle, and ${refused}` +
    ' writes under way or sent while it was down failed. After db-01 started again, every one of the' +
    ` ${saved.size} saved entries was there.`;
}

/**
 * The saved entries that db-01 no longer has (or has with another text: a lost entry's id is given to the next one).
 * Read through app-01, 16 at a time.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 * @param {Map<number, string>} saved
 */
async function findMissing(lab, saved) {
  const entries = [...saved];
  /** @type {[number, string][]} */
  const missing = [];
  for (let i = 0; i < entries.length; i += WRITERS) {
    const batch = entries.slice(i, i + WRITERS);
    const found = await Promise.all(batch.map(([id]) => readEntry(lab, APPS[0], id)));
    batch.forEach((entry, j) => { if (found[j]?.message !== entry[1]) missing.push(entry); });
  }
  return missing;
}
