// @ts-check
/**
 * Where a course edition lives. An edition is a Docusaurus docs version (a frozen copy of the chapters, in
 * versioned_docs/version-NAME/, listed in versions.json), plus a frozen copy of the labs the chapters embed, in
 * versioned_labs/version-NAME/: the lab folders, the kit (with each tier built into one file) and labs/lab-files.js
 * (with what it needs), so that an edition's labs run with the kit they were written for, whatever the course changes
 * later.
 *
 * Read by the edition scripts, the labs plugin, the fork plugin and the Docusaurus config; plain JavaScript, so that
 * Node runs the scripts without a TypeScript step.
 */
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';

/** The name of the edition that is not frozen: the chapters in docs/ and the labs in labs/. */
export const CURRENT = 'current';

/** A name that can be a folder and a URL path: `2026-autumn`, `v1`. */
export const EDITION_NAME = /^[a-z0-9][a-z0-9.-]*$/;

/**
 * The editions cut so far, newest first, as versions.json lists them; none when it does not exist.
 * @param {string} siteDir
 * @returns {string[]}
 */
export function listEditions(siteDir) {
  const file = path.join(siteDir, 'versions.json');
  if (!existsSync(file)) return [];
  const names = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) {
    throw new Error(`${file} must be a JSON array of edition names, like ["2026-autumn"]`);
  }
  return names;
}

/**
 * The folder of an edition's chapters, relative to the site: `docs` or `versioned_docs/version-NAME`.
 * @param {string} edition
 */
export function editionDocsPath(edition) {
  return edition === CURRENT ? 'docs' : `versioned_docs/version-${edition}`;
}

/**
 * The folder of an edition's labs, relative to the site: `labs` or `versioned_labs/version-NAME`.
 * @param {string} edition
 */
export function editionLabsPath(edition) {
  return edition === CURRENT ? 'labs' : `versioned_labs/version-${edition}`;
}

/**
 * The docs plugin's options for the editions: the course in docs/ stays at the root of the site, and each edition
 * is served under its name (/2026-autumn/), labelled, without the "no longer maintained" banner that Docusaurus
 * shows on old versions: an edition is kept on purpose, for a class that started with it.
 * @param {string} siteDir
 */
export function editionDocsOptions(siteDir) {
  const editions = listEditions(siteDir);
  return {
    lastVersion: CURRENT,
    versions: Object.fromEntries([
      [CURRENT, {label: 'Latest'}],
      ...editions.map((name) => [name, {label: `Edition ${name}`, banner: /** @type {const} */ ('none')}]),
    ]),
  };
}

/**
 * The navbar's edition menu, only once there is an edition to choose.
 * @param {string} siteDir
 */
export function editionNavbarItems(siteDir) {
  return listEditions(siteDir).length > 0 ? [{type: 'docsVersionDropdown', position: /** @type {const} */ ('right')}] : [];
}
