// @ts-check
/**
 * `npm run new:chapter`: scaffolds a chapter and its lab, in the shape of the course's chapters, so that the result
 * builds, passes `npm run labs:verify` and the course's lint at once, and says what to edit next. It asks for the
 * title, slug, number and servers (or takes them from flags, `--help`), refuses a number or a slug that is taken,
 * and never overwrites a file. The site is the current folder.
 */
import { chapterOptions, labIdOf, USAGE } from './new-chapter/options.mjs';
import { chapterText } from './new-chapter/chapter.mjs';
import { labFiles, realFile } from './new-chapter/lab.mjs';
import { writeAll } from './new-chapter/site.mjs';

const site = process.cwd();

try {
  const options = await chapterOptions(process.argv.slice(2), site);
  if (options === 'help') {
    console.log(USAGE);
  } else {
    const labId = labIdOf(options);
    const lab = labFiles({ ...options, labId });
    const chapter = `docs/${labId}.mdx`;
    writeAll(site, {
      [chapter]: chapterText({ ...options, labId, labFiles: lab }),
      ...Object.fromEntries(Object.entries(lab).map(([file, content]) => [`labs/${labId}/${file}`, content])),
    });
    console.log(nextSteps(chapter, labId, lab, options));
  }
} catch (error) {
  console.error(`new:chapter: ${/** @type {Error} */ (error).message}`);
  process.exitCode = 1;
}

/**
 * What was made, and what to edit next, in order.
 * @param {string} chapter
 * @param {string} labId
 * @param {Record<string, string>} lab
 * @param {{ slug: string, topology: import('./new-chapter/topology.mjs').Topology }} options
 */
function nextSteps(chapter, labId, lab, { slug, topology }) {
  const files = (/** @type {string} */ folder) => Object.keys(lab).filter((file) => file.startsWith(folder)).map((file) => `labs/${labId}/${file}`);
  const check = files('checks/')[0];
  const real = realFile(topology);
  return [
    `Created ${chapter} and labs/${labId}/ (${Object.keys(lab).length} files).`,
    '',
    'Edit next, in this order (every TODO says what to write):',
    `  1. ${chapter}: the chapter, from its opening paragraph to the recap.`,
    `  2. labs/${labId}/lab.json: the lab's title, summary, and its step's instructions and hints.`,
    `  3. the starter files, what the learner finds:\n${files('files/').map((file) => `       ${file}`).join('\n')}`,
    `  4. the solution, only the files it changes:\n${files('solution/').map((file) => `       ${file}`).join('\n')}`,
    `     (the chapter's "The real thing" shows labs/${labId}/solution/${real.file}: keep the two the same)`,
    `  5. ${check}: the check, which must fail on the starter and pass with the solution.`,
    '',
    'Then prove it:',
    ...aligned([
      [`npm run labs:verify -- ${labId}`, 'the check fails on the starter and passes with the solution'],
      ['npm run dev', `the chapter at /${slug}, with its lab`],
      ['npm run lint:course', 'the chapter has what every chapter must have'],
      ['npm test', 'everything, as CI runs it'],
    ]),
  ].join('\n');
}

/**
 * Commands and what each does, in two columns.
 * @param {Array<[string, string]>} rows
 */
function aligned(rows) {
  const width = Math.max(...rows.map(([command]) => command.length)) + 3;
  return rows.map(([command, what]) => `  ${command.padEnd(width)}${what}`);
}
