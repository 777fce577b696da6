// @ts-check
/** A lab that no chapter embeds is out of every learner's reach, and its checks prove nothing anyone sees. */
import {attributeValue, jsxElements} from './mdx.mjs';

/** @type {import('./lint.mjs').Rule} */
export const labEmbedded = {
  name: 'every lab is embedded in a chapter',
  check(course) {
    const embedded = new Set(
      course.pages
        .filter((page) => page.chapter)
        .flatMap((page) => jsxElements(page.tree, 'Lab').map((element) => idOf(element))),
    );
    return course.labs
      .filter((lab) => !embedded.has(lab.id))
      .map((lab) => ({
        file: lab.file,
        line: idLine(course.read(lab.file) ?? ''),
        message:
          `no chapter embeds the lab "${lab.id}", so no learner can open it. ` +
          `Put <Lab id="${lab.id}" /> in its chapter (docs/NN-slug.mdx), where the reader should start doing, ` +
          'or remove the lab.',
      }));
  },
};

/**
 * A `<Lab>`'s id, or undefined when it has none that can be read (the rule on `<Lab id>` reports that).
 * @param {import('./mdx.mjs').JsxElement} element
 */
function idOf(element) {
  try {
    return attributeValue(element, 'id');
  } catch {
    return undefined;
  }
}

/**
 * The line of a manifest's `"id"`, or 1.
 * @param {string} manifest
 */
function idLine(manifest) {
  const index = manifest.split('\n').findIndex((line) => /"id"\s*:/.test(line));
  return index + 1 || 1;
}
