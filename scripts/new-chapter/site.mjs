// @ts-check
/**
 * What the site already has, so that a new chapter takes nothing that is taken: the chapters of docs/ (by number,
 * by file name and by the `slug:` of their front matter) and the labs of labs/. Writing never overwrites a file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const NUMBERED = /^(\d\d)-(.+?)(\.mdx?)?$/;

/**
 * The chapters and labs of a site: `{ number, slug, file }`, file relative to the site; NaN for a page without a
 * number.
 * @param {string} site
 */
export function takenNames(site) {
  /** @type {Array<{ number: number, slug: string, file: string }>} */
  const taken = [];
  for (const folder of ['docs', 'labs']) {
    const dir = path.join(site, folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const match = NUMBERED.exec(name);
      const file = `${folder}/${name}`;
      // A page without a number (the glossary, the instructors' folder) holds its address all the same.
      if (!match && folder === 'docs') taken.push({ number: NaN, slug: name.replace(/\.mdx?$/, ''), file });
      if (!match) continue;
      taken.push({ number: Number(match[1]), slug: match[2], file });
      const urlSlug = match[3] ? frontMatterSlug(path.join(site, file)) : undefined;
      if (urlSlug) taken.push({ number: Number(match[1]), slug: urlSlug, file });
    }
  }
  return taken;
}

/**
 * Why a number cannot be used, naming the file that has it; undefined when it is free.
 * @param {string} site
 * @param {number} number
 */
export function numberTakenBy(site, number) {
  const taken = takenNames(site).find((item) => item.number === number);
  return taken && `number ${pad(number)} is taken: ${taken.file} has it. Choose another with --number.`;
}

/**
 * Why a slug cannot be used, naming the file that has it; undefined when it is free.
 * @param {string} site
 * @param {string} slug
 */
export function slugTakenBy(site, slug) {
  const taken = takenNames(site).find((item) => item.slug === slug);
  return taken && `slug "${slug}" is taken: ${taken.file} has it. Choose another with --slug.`;
}

/**
 * The number after the highest chapter or lab.
 * @param {string} site
 */
export function nextNumber(site) {
  return Math.max(0, ...takenNames(site).map((item) => item.number).filter(Number.isFinite)) + 1;
}

/**
 * Writes every file, or none: when one of them exists already, throws naming it and writes nothing.
 * @param {string} site
 * @param {Record<string, string>} files  path relative to the site -> content
 */
export function writeAll(site, files) {
  const existing = Object.keys(files).filter((file) => existsSync(path.join(site, file)));
  if (existing.length > 0) {
    throw new Error(`${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}: nothing was written, and nothing is overwritten.`);
  }
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(site, file)), { recursive: true });
    writeFileSync(path.join(site, file), content, { flag: 'wx' });
  }
}

/** @param {number} number */
export function pad(number) {
  return String(number).padStart(2, '0');
}

/**
 * The `slug:` of a chapter's front matter, without its leading slash.
 * @param {string} file
 */
function frontMatterSlug(file) {
  const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(file, 'utf8'));
  return front ? /^slug:\s*['"]?\/?([^'"\s]+)/m.exec(front[1])?.[1] : undefined;
}
