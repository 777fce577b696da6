// @ts-check
/**
 * Which file starts a kit program. The site's build makes each tier into one file as well, `kit/web/bundle.js`
 * beside `kit/web/index.js` (labs/tier-bundles.js at the root of the course says how): Node loads the dozens of
 * modules of a tier noticeably slower than one file with the same code, and a lab starts up to nine tiers at once.
 * The supervisor starts the one-file build while it was built from the sources the workspace holds now, and the
 * sources otherwise, so that a learner who changes the kit runs what they changed.
 *
 * The first line of a build names its sources, each with the SHA-256 of its content:
 *
 *   // kit build {"sources":{"lib/main.js":"9f2c...","web/index.js":"41ab...",...}}
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';

/** The one-file build's name, in the tier's folder (where `import.meta.url` finds the tier's own files). */
export const BUILD_FILE = 'bundle.js';
const HEADER = '// kit build ';
/** A header is one line of a few kilobytes; a first line longer than this is not one. */
export const HEADER_LIMIT = 16 * 1024;

/** The tier whose one-file build a kit file is (`web` for `web/bundle.js`), or null. @param {string} file */
export function builtTier(file) {
  const [tier, name, ...deeper] = file.split('/');
  return name === BUILD_FILE && deeper.length === 0 ? tier : null;
}

/** @param {string | Buffer} content */
export function sourceDigest(content) {
  return createHash('sha256').update(content).digest('hex');
}

/** @param {Record<string, string>} sources path relative to the kit, with / -> its digest */
export function buildHeader(sources) {
  return `${HEADER}${JSON.stringify({ sources })}\n`;
}

/**
 * The sources a build names, from its text (or its first line), or null when it has no header.
 * @param {string} text
 * @returns {Record<string, string> | null}
 */
export function buildSources(text) {
  const end = text.indexOf('\n');
  const line = end === -1 ? text : text.slice(0, end);
  if (!line.startsWith(HEADER)) return null;
  try {
    const { sources } = JSON.parse(line.slice(HEADER.length));
    const valid = sources && typeof sources === 'object' && !Array.isArray(sources) && Object.keys(sources).length > 0
      && Object.values(sources).every((digest) => typeof digest === 'string');
    return valid ? sources : null;
  } catch {
    return null;
  }
}

/**
 * The file to run for `node kit/<program>`: its one-file build when there is one built from the current sources.
 * `changed` names the first source (relative to the kit) that has changed or gone since the build, or is `'?'` for
 * a build whose first line does not say what it was built from; it is null when the build runs, or there is none.
 * @param {string} kitDir
 * @param {string} program e.g. `web`
 * @returns {{ file: string, changed: string | null }}
 */
export function programFile(kitDir, program) {
  const sourcesDir = path.join(kitDir, program);
  const build = path.join(sourcesDir, BUILD_FILE);
  const header = firstLine(build);
  if (header === null) return { file: sourcesDir, changed: null };
  const sources = buildSources(header);
  if (sources === null) return { file: sourcesDir, changed: '?' };
  for (const [source, digest] of Object.entries(sources)) {
    let content;
    try {
      content = readFileSync(path.join(kitDir, ...source.split('/')));
    } catch {
      return { file: sourcesDir, changed: source };
    }
    if (sourceDigest(content) !== digest) return { file: sourcesDir, changed: source };
  }
  return { file: build, changed: null };
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
    return end === -1 ? text : text.slice(0, end);
  } finally {
    closeSync(fd);
  }
}
