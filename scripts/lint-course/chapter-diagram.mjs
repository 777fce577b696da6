// @ts-check
/** Every chapter draws its subject: at least one Mermaid diagram (the course's design asks for the topology). */
import {lineOf, walk} from './mdx.mjs';

/** @type {import('./lint.mjs').Rule} */
export const chapterDiagram = {
  name: 'every chapter has a diagram',
  check(course) {
    return course.pages
      .filter((page) => page.chapter)
      .filter((page) => ![...walk(page.tree)].some((node) => node.type === 'code' && node.lang === 'mermaid'))
      .map((page) => ({
        file: page.file,
        line: lineOf([...walk(page.tree)].find((node) => node.type === 'heading') ?? page.tree),
        message:
          'this chapter has no diagram. Add a ```mermaid block, at least the topology the chapter builds, ' +
          'with its accTitle and accDescr.',
      }));
  },
};
