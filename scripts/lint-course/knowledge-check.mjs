// @ts-check
/**
 * A `<KnowledgeCheck>` teaches through its answers: exactly one choice is `correct: true`, and every choice, right or
 * wrong, has a `why` that the learner reads after answering. The props are read from the page's syntax tree as the
 * literals they are; the linter never runs the page.
 */
import {attributeExpression, attributeValue, jsxElements, lineOf} from './mdx.mjs';
import {literalValue} from './literal.mjs';

/** @typedef {import('./lint.mjs').Finding} Finding */

const CHOICES = "[{ text: '...', correct: true, why: '...' }, ...]";

/** @type {import('./lint.mjs').Rule} */
export const knowledgeCheck = {
  name: 'every knowledge check has one correct choice and a why for each',
  check(course) {
    return course.pages.flatMap((page) =>
      jsxElements(page.tree, 'KnowledgeCheck').flatMap((element) => {
        const line = lineOf(element);
        try {
          return checkOne(page.file, line, element);
        } catch (error) {
          return [
            {
              file: page.file,
              line,
              message:
                `this knowledge check cannot be read: ${/** @type {Error} */ (error).message}. ` +
                `Write its props as literals, question="..." and choices={${CHOICES}}.`,
            },
          ];
        }
      }),
    );
  },
};

/**
 * @param {string} file
 * @param {number} line  the element's
 * @param {import('./mdx.mjs').JsxElement} element
 * @returns {Finding[]}
 */
function checkOne(file, line, element) {
  /** @type {Finding[]} */
  const findings = [];
  const question = attributeValue(element, 'question');
  if (typeof question !== 'string' || question.trim() === '') {
    const message = 'this knowledge check has no question. Add question="...", one sentence that ends with "?".';
    findings.push({file, line, message});
  }
  const choices = readChoices(element);
  if (!choices) {
    return [...findings, {file, line, message: `this knowledge check has no choices. Add choices={${CHOICES}}.`}];
  }
  const correct = choices.filter(({value}) => value.correct === true);
  if (correct.length === 0) {
    findings.push({
      file,
      line,
      message:
        'this knowledge check has no correct choice, so every answer is "Not quite". ' +
        'Mark the right one with correct: true.',
    });
  } else if (correct.length > 1) {
    findings.push({
      file,
      line: correct[1].line,
      message:
        `this knowledge check has ${correct.length} choices marked correct: true ` +
        `(lines ${correct.map((choice) => choice.line).join(', ')}). ` +
        'Keep exactly one right answer; rewrite the others so that their why explains the difference.',
    });
  }
  for (const {value, line: at} of choices) {
    if (typeof value.text !== 'string' || value.text.trim() === '') {
      const message = "this choice has no text. Give it text: '...', the answer the learner picks.";
      findings.push({file, line: at, message});
    }
    if (typeof value.why !== 'string' || value.why.trim() === '') {
      findings.push({
        file,
        line: at,
        message:
          "this choice has no why, so the learner who picks it learns nothing. Add why: '...', " +
          'one or two sentences on why it is right or wrong.',
      });
    }
  }
  return findings;
}

/**
 * The choices of a knowledge check with the line each starts on, or undefined when it has none.
 * @param {import('./mdx.mjs').JsxElement} element
 * @returns {Array<{value: Record<string, unknown>, line: number}> | undefined}
 */
function readChoices(element) {
  const expression = attributeExpression(element, 'choices');
  if (expression === undefined) return undefined;
  if (typeof expression !== 'object' || expression.type !== 'ArrayExpression') {
    throw new Error('choices is not an array written out in the page');
  }
  if (expression.elements.length === 0) return undefined;
  return expression.elements.map((node) => {
    const value = node && node.type !== 'SpreadElement' ? literalValue(node) : undefined;
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error(`a choice${node?.loc ? ` on line ${node.loc.start.line}` : ''} is not an object { text, why }`);
    }
    return {value: /** @type {Record<string, unknown>} */ (value), line: node?.loc?.start.line ?? lineOf(element)};
  });
}
