/**
 * The front matter a page of docs/ may have, as a strict schema: a typo (`sidebar_positon`) or a wrong type
 * (`sidebar_position: first`) fails the build with a message naming the file, instead of being silently ignored.
 *
 * The keys are the ones the Docusaurus docs plugin reads (https://docusaurus.io/docs/api/plugins/@docusaurus/plugin-content-docs#markdown-front-matter).
 * A course-specific key is added here, with a `.describe()` saying what it is for.
 */
import path from 'node:path';
import * as z from 'zod';
import type {ParseFrontMatter} from '@docusaurus/types';
import {closestWord} from '../../labs/kit/lib/config-error.js';

const headingLevel = z.number().int().min(2).max(6);

export const DocFrontMatter = z
  .strictObject({
    id: z.string().describe('the doc id, when it should differ from the file name'),
    title: z.string().describe('the page title, when it should differ from the first heading'),
    description: z.string().describe('one sentence, for search results and link previews'),
    keywords: z.array(z.string()).describe('extra search keywords for the page head'),
    image: z.string().describe('the link preview image'),
    slug: z.string().describe('the URL of the page, when it should differ from the file path'),
    sidebar_label: z.string().describe('the text in the sidebar, when it should differ from the title'),
    sidebar_position: z.number().describe('the order in the sidebar: 1 comes first'),
    sidebar_class_name: z.string().describe('a CSS class for the sidebar item'),
    sidebar_key: z.string().describe('a key for the sidebar item, when two items have the same label'),
    sidebar_custom_props: z.record(z.string(), z.unknown()).describe('data for a custom sidebar item'),
    displayed_sidebar: z.string().nullable().describe('the sidebar shown beside the page'),
    hide_title: z.boolean().describe('hide the title at the top of the page'),
    hide_table_of_contents: z.boolean().describe('hide the table of contents on the right'),
    toc_min_heading_level: headingLevel.describe('the smallest heading level in the table of contents'),
    toc_max_heading_level: headingLevel.describe('the largest heading level in the table of contents'),
    pagination_label: z.string().describe('the text of the previous/next buttons that lead here'),
    pagination_prev: z.string().nullable().describe('the doc id of the previous page, or null for none'),
    pagination_next: z.string().nullable().describe('the doc id of the next page, or null for none'),
    parse_number_prefixes: z.boolean().describe('whether "01-" in file names is an ordering prefix'),
    custom_edit_url: z.string().nullable().describe('where "Edit this page" leads, or null for no link'),
    tags: z.array(z.string()).describe('tags for the tag pages'),
    draft: z.boolean().describe('only in development builds'),
    unlisted: z.boolean().describe('built, but not in the sidebar, the sitemap or search'),
    last_update: z
      .strictObject({date: z.union([z.string(), z.date()]), author: z.string()})
      .partial()
      .describe('overrides the last-update date and author'),
  })
  .partial();

export type DocFrontMatter = z.infer<typeof DocFrontMatter>;

/**
 * Checks one file's front matter. Returns nothing when it is valid, else a message for the author that names the
 * file, every problem, and what to do.
 */
export function frontMatterProblems(frontMatter: unknown, file: string): string | undefined {
  const result = DocFrontMatter.safeParse(frontMatter);
  if (result.success) {
    return undefined;
  }
  const problems = result.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const known = closestKey(key);
        return `  - ${key}: not a front matter key${known ? `; did you mean ${known}?` : ''}`;
      });
    }
    const where = issue.path.length > 0 ? issue.path.join('.') : 'front matter';
    return [`  - ${where}: ${issue.message}`];
  });
  return [
    `Invalid front matter in ${file}:`,
    ...problems,
    `The allowed keys, and what each is for, are in src/content/frontMatter.ts; a new course-specific key goes there.`,
  ].join('\n');
}

/** The allowed key that `key` is most likely a typo of (at most two letters added, removed or changed). */
function closestKey(key: string): string | undefined {
  return closestWord(key, Object.keys(DocFrontMatter.shape));
}

/**
 * The `markdown.parseFrontMatter` hook of the site config: parses as Docusaurus does, then checks the files of
 * `docsDir` against the schema. YAML syntax errors are rethrown with the file name too.
 *
 * `docsDir` is relative to the working directory, which is the site's folder when Docusaurus runs from an npm script
 * (a config file cannot know its own folder: Docusaurus loads it as CommonJS, without `import.meta`).
 */
export function checkedFrontMatterParser(docsDir: string): ParseFrontMatter {
  const docsRoot = path.resolve(docsDir) + path.sep;
  return async (params) => {
    const file = path.relative(process.cwd(), params.filePath);
    let result;
    try {
      result = await params.defaultParseFrontMatter(params);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`The front matter of ${file} is not valid YAML: ${reason}`);
    }
    if (path.resolve(params.filePath).startsWith(docsRoot)) {
      const problems = frontMatterProblems(result.frontMatter, file);
      if (problems) {
        throw new Error(problems);
      }
    }
    return result;
  };
}
