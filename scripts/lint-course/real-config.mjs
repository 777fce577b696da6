// @ts-check
/**
 * A chapter's "real" configuration is only worth showing if it is the file the lab runs. A block whose fence says
 * `lab="NN-lab/solution/server/file"` (the convention of scripts/lib/chapter-fences.mjs) must be that file of `labs/`,
 * line for line; only a missing newline at the end is forgiven.
 */
import {parseFences} from '../lib/chapter-fences.mjs';

/** @type {import('./lint.mjs').Rule} */
export const realConfig = {
  name: 'every lab="..." block is its lab file',
  check(course) {
    return course.pages.flatMap((page) =>
      parseFences(page.source, page.file)
        .filter((fence) => fence.attrs.lab !== undefined)
        .flatMap((fence) => {
          const labFile = `labs/${fence.attrs.lab}`;
          const text = fence.attrs.lab.split('/').includes('..') ? undefined : course.read(labFile);
          if (text === undefined) {
            return [
              {
                file: page.file,
                line: fence.line,
                message:
                  `this block claims to be ${labFile}, which does not exist. ` +
                  'Give lab= the path of the file under labs/ (NN-lab/solution/server/file), ' +
                  'or remove lab= if the block is not a lab file.',
              },
            ];
          }
          const difference = firstDifference(fence.body, text);
          if (!difference) return [];
          const {index, block, file} = difference;
          return [
            {
              file: page.file,
              line: fence.line + 1 + index,
              message:
                `the block at line ${fence.line} claims to be ${labFile}, but this line differs from ` +
                `${labFile}:${index + 1}: ${describe(block, file)}. ` +
                'Make the block a copy of the file (or change the file, and run labs:verify), ' +
                'or drop lab= and mark the block partial if it is an excerpt.',
            },
          ];
        }),
    );
  },
};

/**
 * The first line where two texts differ (0-based), with each side's line there (undefined past its end);
 * undefined when they are the same but for the newlines at the end.
 * @param {string} block
 * @param {string} file
 */
export function firstDifference(block, file) {
  const a = block.replace(/\n+$/, '').split('\n');
  const b = file.replace(/\n+$/, '').split('\n');
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    if (a[index] !== b[index]) return {index, block: a[index], file: b[index]};
  }
  return undefined;
}

/**
 * How two lines differ, for a message.
 * @param {string | undefined} block
 * @param {string | undefined} file
 */
function describe(block, file) {
  if (block !== undefined && file !== undefined && block.trim() === file.trim()) {
    return `they differ only in spaces or tabs, \`${block.trim()}\``;
  }
  return `the block has ${show(block)}, the file has ${show(file)}`;
}

/**
 * A line for a message: quoted, or a phrase when there is none.
 * @param {string | undefined} line
 */
function show(line) {
  if (line === undefined) return 'no more lines';
  return line.trim() === '' ? 'an empty line' : `\`${line.trim()}\``;
}
