// @ts-check
/** A `<Lab id="...">` must name a lab of `labs/`: otherwise the page shows an error box where the lab should be. */
import {attributeValue, jsxElements, lineOf} from './mdx.mjs';

/** @type {import('./lint.mjs').Rule} */
export const labExists = {
  name: 'every <Lab id> names a lab',
  check(course) {
    const known = course.labs.map((lab) => lab.id);
    const list = known.length > 0 ? known.join(', ') : 'none yet';
    return course.pages.flatMap((page) =>
      jsxElements(page.tree, 'Lab').flatMap((element) => {
        const at = {file: page.file, line: lineOf(element)};
        let id;
        try {
          id = attributeValue(element, 'id');
        } catch (error) {
          const reason = /** @type {Error} */ (error).message;
          return [{...at, message: `<Lab id> must be a plain string, but ${reason}. Write id="NN-slug".`}];
        }
        if (typeof id !== 'string' || id === '') {
          return [{...at, message: `<Lab> has no id. Name its lab, <Lab id="NN-slug" />; the labs are: ${list}.`}];
        }
        if (known.includes(id)) return [];
        return [
          {
            ...at,
            message:
              `<Lab id="${id}"> names no lab: there is no labs/${id}/lab.json with that id. ` +
              `Use one of: ${list}; or create the lab first.`,
          },
        ];
      }),
    );
  },
};
