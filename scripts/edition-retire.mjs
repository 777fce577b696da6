// @ts-check
/**
 * `npm run edition:retire -- <name>`: removes an edition once no class uses it: its name from versions.json, its
 * chapters (versioned_docs/version-<name>/), its sidebar and its labs (versioned_labs/version-<name>/). Its pages
 * leave the site with the next build; git keeps them, should anyone need them again.
 */
import {existsSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {editionDocsPath, editionLabsPath, listEditions} from './editions.mjs';

const siteDir = process.cwd();
const name = process.argv[2];
const editions = listEditions(siteDir);

if (!name || process.argv.length > 3) {
  fail(`Name the edition to retire: npm run edition:retire -- <name>. The editions are: ${editions.join(', ') || 'none'}`);
}
if (!editions.includes(name)) {
  fail(`There is no edition "${name}" in versions.json. The editions are: ${editions.join(', ') || 'none'}`);
}

const removed = [editionDocsPath(name), `versioned_sidebars/version-${name}-sidebars.json`, editionLabsPath(name)]
  .filter((file) => existsSync(path.join(siteDir, file)));
for (const file of removed) rmSync(path.join(siteDir, file), {recursive: true});
for (const folder of ['versioned_docs', 'versioned_sidebars', 'versioned_labs']) {
  const where = path.join(siteDir, folder);
  if (existsSync(where) && readdirSync(where).length === 0) rmSync(where, {recursive: true});
}
const left = editions.filter((edition) => edition !== name);
// With no edition left, the site is as it was before the first one was cut.
if (left.length > 0) writeFileSync(path.join(siteDir, 'versions.json'), `${JSON.stringify(left, null, 2)}\n`);
else rmSync(path.join(siteDir, 'versions.json'));

console.log(`Edition "${name}" is retired: removed ${[...removed, left.length > 0 ? 'its name in versions.json' : 'versions.json'].join(', ')}.
Next: npm run build, then commit. A link to /${name}/ from elsewhere now fails the build, naming the page.`);

/** @param {string} message */
function fail(message) {
  console.error(`edition:retire: ${message}`);
  process.exit(1);
}
