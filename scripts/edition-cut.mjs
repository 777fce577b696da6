// @ts-check
/**
 * `npm run edition:cut -- <name>`: freezes the course as it is now into an edition that a class can keep while the
 * course moves on. It runs `docusaurus docs:version <name>` (the chapters into versioned_docs/version-<name>/, the
 * sidebar into versioned_sidebars/, the name into versions.json), then copies the labs into
 * versioned_labs/version-<name>/: every lab folder, labs/lab-files.js (with what it needs) and the kit files a
 * workspace holds.
 * It refuses a name that is taken, and changes nothing else.
 */
import {spawnSync} from 'node:child_process';
import {cpSync, existsSync, mkdirSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {EDITION_NAME, editionDocsPath, editionLabsPath, listEditions} from './editions.mjs';

const siteDir = process.cwd();
const name = process.argv[2];

if (!name || process.argv.length > 3) fail('Give the edition a name: npm run edition:cut -- 2026-autumn');
if (!EDITION_NAME.test(name) || name === 'current' || name === 'next') {
  fail(`"${name}" cannot name an edition: use lower-case letters, digits, dots and dashes, like 2026-autumn ` +
    '(it becomes a folder and the path of the edition on the site).');
}
if (listEditions(siteDir).includes(name) || existsSync(path.join(siteDir, editionLabsPath(name)))) {
  fail(`There is already an edition "${name}" (versions.json, ${editionLabsPath(name)}/): choose another name, ` +
    'or retire that edition first (docs/instructors/editions.md says how).');
}

const docusaurus = path.join(path.dirname(createRequire(path.join(siteDir, 'package.json')).resolve('@docusaurus/core/package.json')), 'bin/docusaurus.mjs');
const versioned = spawnSync(process.execPath, [docusaurus, 'docs:version', name], {cwd: siteDir, stdio: 'inherit'});
if (versioned.status !== 0) fail(`docusaurus docs:version ${name} failed (see above); nothing was copied.`);

const labs = await copyLabs(path.join(siteDir, 'labs'), path.join(siteDir, editionLabsPath(name)));

const made = [
  [`${editionDocsPath(name)}/`, 'the chapters, as they are now'],
  [`versioned_sidebars/version-${name}-sidebars.json`, 'their sidebar'],
  [`${editionLabsPath(name)}/`, `the labs (${labs.join(', ')}), with the kit they run on`],
  ['versions.json', 'the list of editions, newest first'],
];
const width = Math.max(...made.map(([file]) => file.length));
console.log(`
Edition "${name}" is cut:
${made.map(([file, what]) => `  ${file.padEnd(width)}  ${what}`).join('\n')}

Next: npm run build, and open /${name}/ on the site (the navbar's menu lists the editions). Then commit all of the
above. A fix for the class goes into the edition's own files; new work goes into docs/ and labs/ as before.`);

/**
 * Copies what an edition's labs need to build and run on their own, and returns the labs' names.
 * @param {string} from the labs folder
 * @param {string} to the edition's labs folder
 */
async function copyLabs(from, to) {
  /** @type {{listLabs(dir: string): string[], kitWorkspaceFiles(dir: string): Record<string, string>}} */
  const labFiles = await import(pathToFileURL(path.join(from, 'lab-files.js')).href);
  const names = labFiles.listLabs(from);
  mkdirSync(to, {recursive: true});
  // lab-files.js, and what builds each tier into one file for a workspace (tier-bundles.js says why).
  for (const file of ['lab-files.js', 'tier-bundles.js', 'build-tier-bundles.mjs']) cpSync(path.join(from, file), path.join(to, file));
  for (const lab of names) cpSync(path.join(from, lab), path.join(to, lab), {recursive: true});
  // The kit as a workspace holds it (lab-files.js decides, leaving the kit's tests out), with each tier's one-file
  // build: the edition keeps those as they are, whatever bundler later versions of the site have.
  const kit = names.length > 0 ? labFiles.kitWorkspaceFiles(path.join(from, 'kit')) : {};
  for (const [file, content] of Object.entries(kit)) {
    mkdirSync(path.dirname(path.join(to, 'kit', file)), {recursive: true});
    writeFileSync(path.join(to, 'kit', file), content);
  }
  return names;
}

/** @param {string} message */
function fail(message) {
  console.error(`edition:cut: ${message}`);
  process.exit(1);
}
