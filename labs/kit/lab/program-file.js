// @ts-check
/**
 * Which file starts a kit program. The site's build makes each tier into one file as well, `kit/web/bundle.js`
 * beside `kit/web/index.js` (labs/tier-bundles.js at the root of the course says how): Node loads the thirty
 * modules of a tier noticeably slower than one file with the same code, and a lab starts up to nine tiers at once.
 * The supervisor starts the one-file build while it was built from the sources the workspace holds now, and the
 * sources otherwise, so that a learner who changes the kit runs what they changed.
 *
 * The first line of a build names its sources and their digest:
 *
 *   // kit build {"sources":["lib/main.js","web/index.js",...],"sha256":"..."}
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';

/** The one-file build's name, in the tier's folder (where `import.meta.url` finds the tier's own files). */
export const BUILD_FILE = 'bundle.js';
const HEADER = '// kit build ';
/** A header is one line of a few kilobytes; a first line longer than this is not one. */
const HEADER_LIMIT = 16 * 1024;

/**
 * The digest of a build's sources: their paths (relative to the kit, with /) and contents, in the order given.
 * @param {string} kitDir
 * @param {string[]} sources
 */
export function sourcesDigest(kitDir, sources) {
  const hash = createHash('sha256');
  for (const source of sources) hash.update(`${source}\0`).update(readFileSync(path.join(kitDir, ...source.split('/')))).update('\0');
  return hash.digest('hex');
}

/** @param {string[]} sources @param {string} sha256 */
export function buildHeader(sources, sha256) {
  return `${HEADER}${JSON.stringify({ sources, sha256 })}\n`;
}

/**
 * The file to run for `node kit/<program>`: its one-file build when there is one built from the current sources.
 * `changed` is true when there is a build, but a source has changed (or gone) since.
 * @param {string} kitDir
 * @param {string} program e.g. `web`
 * @returns {{ file: string, built: boolean, changed: boolean }}
 */
export function programFile(kitDir, program) {
  const sources = { file: path.join(kitDir, program), built: false, changed: false };
  const build = path.join(kitDir, program, BUILD_FILE);
  const header = firstLine(build);
  if (header === null || !header.startsWith(HEADER)) return sources;
  try {
    const { sources: files, sha256 } = JSON.parse(header.slice(HEADER.length));
    if (Array.isArray(files) && sourcesDigest(kitDir, files) === sha256) return { file: build, built: true, changed: false };
  } catch {
    // A header that does not parse, or a source that is gone: the build cannot be trusted.
  }
  return { ...sources, changed: true };
}

/** @param {string} file @returns {string | null} */
function firstLine(file) {
  let fd;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const buffer = Buffer.alloc(HEADER_LIMIT);
    const text = buffer.subarray(0, readSync(fd, buffer, 0, HEADER_LIMIT, 0)).toString('utf8');
    const end = text.indexOf('\n');
    return end === -1 ? null : text.slice(0, end);
  } finally {
    closeSync(fd);
  }
}
