// @ts-check
/**
 * The course as the linter sees it: every page of `docs/` parsed once, the labs (`labs/NN-slug/lab.json`), and a way
 * to read any other file of the repository. The same shape is built from the disk (`loadCourse`) or from a handful of
 * files in memory (`courseFromFiles`), which is how the rules' tests give each rule a small course to judge.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {parseMdx} from './mdx.mjs';

/**
 * @typedef {object} Page
 * @property {string} file     its path from the repository's root, with forward slashes (`docs/02-load-balancer.mdx`)
 * @property {string} source   its text
 * @property {boolean} chapter whether it is a numbered chapter, `docs/NN-slug.mdx`
 * @property {import('mdast').Root} tree    empty when the page cannot be parsed
 * @property {{line: number, reason: string}} [error]  why it cannot be parsed, and where
 */

/**
 * @typedef {object} Lab
 * @property {string} id   the manifest's `id` (the folder's name when it has none)
 * @property {string} file its manifest, `labs/NN-slug/lab.json`
 */

/**
 * @typedef {object} Course
 * @property {Page[]} pages
 * @property {Lab[]} labs
 * @property {(file: string) => string | undefined} read  a file's text by its path from the root; undefined if none
 */

const PAGE = /^docs\/.+\.mdx?$/;
const CHAPTER = /^docs\/\d{2}-[^/]+\.mdx?$/;
const MANIFEST = /^labs\/([^/]+)\/lab\.json$/;

/**
 * The course in a repository on disk.
 * @param {string} root
 * @returns {Course}
 */
export function loadCourse(root) {
  /** @param {string} file */
  const read = (file) => {
    const full = path.join(root, file);
    return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
  };
  const pages = listFiles(root, 'docs').filter((file) => PAGE.test(file));
  const labsDir = path.join(root, 'labs');
  const manifests = existsSync(labsDir)
    ? readdirSync(labsDir, {withFileTypes: true})
        .filter((entry) => entry.isDirectory() && existsSync(path.join(labsDir, entry.name, 'lab.json')))
        .map((entry) => `labs/${entry.name}/lab.json`)
    : [];
  return buildCourse([...pages, ...manifests], read);
}

/**
 * A course made of the given files, `{'docs/01-x.mdx': '...', 'labs/01-x/lab.json': '{"id": "01-x"}'}`.
 * @param {Record<string, string>} files
 * @returns {Course}
 */
export function courseFromFiles(files) {
  return buildCourse(Object.keys(files), (file) => files[file]);
}

/**
 * @param {string[]} files
 * @param {(file: string) => string | undefined} read
 * @returns {Course}
 */
function buildCourse(files, read) {
  const pages = files
    .filter((file) => PAGE.test(file))
    .sort()
    .map((file) => {
      const source = read(file) ?? '';
      return {file, source, chapter: CHAPTER.test(file), ...parse(source)};
    });
  const labs = files
    .filter((file) => MANIFEST.test(file))
    .sort()
    .map((file) => ({id: manifestId(file, read(file) ?? ''), file}));
  return {pages, labs, read};
}

/**
 * A page's tree, or why MDX cannot read it: the linter then reports that page once, and the rules see it empty.
 * @param {string} source
 * @returns {{tree: import('mdast').Root, error?: {line: number, reason: string}}}
 */
function parse(source) {
  try {
    return {tree: parseMdx(source)};
  } catch (error) {
    const {line, reason, message} = /** @type {{line?: number, reason?: string, message: string}} */ (error);
    return {tree: {type: 'root', children: []}, error: {line: line ?? 1, reason: reason ?? message}};
  }
}

/**
 * A lab's id: its manifest's `id`, or its folder's name when the manifest has none or cannot be read (the build and
 * `labs:verify` report a broken manifest; this linter only needs the name a chapter would use).
 * @param {string} file
 * @param {string} text
 */
function manifestId(file, text) {
  try {
    const {id} = JSON.parse(text);
    if (typeof id === 'string' && id) return id;
  } catch {
    // Falls back to the folder's name below.
  }
  return /** @type {RegExpExecArray} */ (MANIFEST.exec(file))[1];
}

/**
 * Every file under a folder, as paths from the root with forward slashes.
 * @param {string} root
 * @param {string} dir
 * @returns {string[]}
 */
function listFiles(root, dir) {
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}
