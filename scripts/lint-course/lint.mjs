// @ts-check
/**
 * The course linter's rules, run over a course, and the line each finding prints as:
 * `file:line: what is wrong. what to do.`
 */
import {chapterDiagram} from './chapter-diagram.mjs';
import {diagramAccessible} from './diagram-accessible.mjs';
import {labExists} from './lab-exists.mjs';
import {labEmbedded} from './lab-embedded.mjs';
import {knowledgeCheck} from './knowledge-check.mjs';
import {realConfig} from './real-config.mjs';
import {headingLinks} from './heading-links.mjs';
import {headingLevels} from './heading-levels.mjs';
import {admonitionTitles} from './admonition-titles.mjs';

/**
 * @typedef {object} Finding
 * @property {string} file     from the repository's root
 * @property {number} line     1-based
 * @property {string} message  what is wrong, then what to do, each a sentence
 */

/**
 * @typedef {object} Rule
 * @property {string} name  what it checks, for the summary
 * @property {(course: import('./course.mjs').Course) => Finding[]} check
 */

/** @type {Rule[]} */
export const RULES = [
  chapterDiagram,
  diagramAccessible,
  labExists,
  labEmbedded,
  knowledgeCheck,
  realConfig,
  headingLinks,
  headingLevels,
  admonitionTitles,
];

/**
 * Every finding of the rules, in the order of the files and their lines. A page that MDX cannot read is reported
 * alone: the rules that look across pages (a lab no chapter embeds, a link into that page) would only guess.
 * @param {import('./course.mjs').Course} course
 * @param {Rule[]} [rules]
 * @returns {Finding[]}
 */
export function lint(course, rules = RULES) {
  const unreadable = course.pages.flatMap(({file, error}) =>
    error
      ? [
          {
            file,
            line: error.line,
            message:
              `MDX cannot read this page: ${error.reason}. Fix it (npm run dev shows the same error); ` +
              'the other rules run once every page can be read.',
          },
        ]
      : [],
  );
  const findings = unreadable.length > 0 ? unreadable : rules.flatMap((rule) => rule.check(course));
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/**
 * @param {Finding} finding
 */
export function formatFinding({file, line, message}) {
  return `${file}:${line}: ${message}`;
}
