// @ts-check
/**
 * The new chapter's title, slug, number and servers: from flags, or asked one by one with a default for each.
 * Every error says which flag or answer is wrong and what to write.
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { parseServers } from './topology.mjs';
import { nextNumber, numberTakenBy, pad, slugTakenBy } from './site.mjs';

export const DEFAULT_SERVERS = 'lb-01,web-01,web-02';
const SLUG = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

export const USAGE = `Usage: npm run new:chapter [-- --title TITLE] [--slug SLUG] [--number NN] [--servers LIST] [--yes]

Creates docs/NN-slug.mdx and labs/NN-slug/ (a manifest, starter files, a solution and one check), then says what
to edit next. Without --yes it asks for each value, with a default; with --yes it takes the flags and the defaults.

  --title TITLE    the chapter's title: "A cache in front of the application"
  --slug SLUG      its address and file name, lowercase words with dashes (default: made from the title)
  --number NN      its place in the course, 1 to 99 (default: after the last chapter)
  --servers LIST   the lab's servers (default: ${DEFAULT_SERVERS}): lb-01, web-01 to web-09,
                   app-01 to app-09 (each needs db-01), db-01
  --yes            ask nothing
  --help           this text`;

/**
 * @typedef {{ title: string, slug: string, number: number, topology: import('./topology.mjs').Topology }} ChapterOptions
 */

/**
 * @param {string[]} argv  the arguments after the script's name
 * @param {string} site  the site's folder
 * @returns {Promise<ChapterOptions | 'help'>}
 */
export async function chapterOptions(argv, site) {
  const flags = readFlags(argv);
  if (flags.help) return 'help';
  if (flags.yes) return checked(site, flags);
  // Lines are read through the iterator, which keeps those that arrive before their question (piped answers).
  const prompts = createInterface({ input: process.stdin, output: process.stdout });
  const lines = prompts[Symbol.asyncIterator]();
  /**
   * Asks until the answer passes `check`, which throws saying what is wrong; with piped answers, the first error ends it.
   * @template T
   * @param {string} question
   * @param {string} fallback
   * @param {(answer: string) => T} check
   * @returns {Promise<T>}
   */
  const ask = async (question, fallback, check) => {
    for (;;) {
      prompts.setPrompt(`${question}${fallback ? ` (${fallback})` : ''}: `);
      prompts.prompt();
      const line = await lines.next();
      if (!process.stdin.isTTY) process.stdout.write('\n');
      if (line.done) throw new Error('the input ended before every question had its answer: answer each, or give the flags and --yes.');
      try {
        return check(String(line.value).trim() || fallback);
      } catch (error) {
        if (!process.stdin.isTTY) throw error;
        console.log(`  ${/** @type {Error} */ (error).message}`);
      }
    }
  };
  try {
    const title = await ask('Title of the chapter', flags.title ?? '', checkTitle);
    const slug = await ask('Slug, its address and file name', flags.slug ?? slugOf(title), (answer) => checkSlug(site, answer));
    const number = await ask('Number, its place in the course', flags.number ?? String(nextNumber(site)), (answer) => checkNumber(site, answer));
    const topology = await ask('Servers of its lab', flags.servers ?? DEFAULT_SERVERS, checkServers);
    return { title, slug, number, topology };
  } finally {
    prompts.close();
  }
}

/**
 * @param {string[]} argv
 * @returns {{ title?: string, slug?: string, number?: string, servers?: string, yes?: boolean, help?: boolean }}
 */
function readFlags(argv) {
  try {
    return parseArgs({
      args: argv,
      options: {
        title: { type: 'string' },
        slug: { type: 'string' },
        number: { type: 'string' },
        servers: { type: 'string' },
        yes: { type: 'boolean', short: 'y' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new Error(`${/** @type {Error} */ (error).message.replace(/\. To specify.*$/s, '')}. See --help.`, { cause: error });
  }
}

/**
 * The options of the flags, each checked, with the defaults filled in.
 * @param {string} site
 * @param {{ title?: string, slug?: string, number?: string, servers?: string }} given
 * @returns {ChapterOptions}
 */
function checked(site, given) {
  const slug = checkSlug(site, given.slug ?? slugOf(checkTitle(given.title ?? given.slug ?? '')));
  return {
    title: given.title ? checkTitle(given.title) : titleOf(slug),
    slug,
    number: checkNumber(site, given.number ?? String(nextNumber(site))),
    topology: checkServers(given.servers ?? DEFAULT_SERVERS),
  };
}

/** @param {string} title */
function checkTitle(title) {
  if (!title.trim()) throw new Error('the chapter needs a title: --title "A cache in front of the application".');
  return title.trim();
}

/**
 * @param {string} site
 * @param {string} slug
 */
function checkSlug(site, slug) {
  if (!SLUG.test(slug)) {
    throw new Error(`--slug "${slug}" is not a slug: write lowercase letters and digits in words joined by single dashes,` +
      ' starting with a letter, such as "cache".');
  }
  const taken = slugTakenBy(site, slug);
  if (taken) throw new Error(taken);
  return slug;
}

/**
 * @param {string} site
 * @param {string} text
 */
function checkNumber(site, text) {
  if (!/^\d{1,3}$/.test(text) || Number(text) < 1 || Number(text) > 99) {
    throw new Error(`--number "${text}" is not a chapter number: write a whole number from 1 to 99.`);
  }
  const taken = numberTakenBy(site, Number(text));
  if (taken) throw new Error(taken);
  return Number(text);
}

/** @param {string} list */
function checkServers(list) {
  try {
    return parseServers(list);
  } catch (error) {
    throw new Error(`--servers: ${/** @type {Error} */ (error).message}`, { cause: error });
  }
}

/**
 * A slug made from a title: `A cache, in front` -> `a-cache-in-front`.
 * @param {string} title
 */
export function slugOf(title) {
  return title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').replace(/^\d+-?/, '');
}

/**
 * A title made from a slug, when only the slug is given: `load-balancer` -> `Load balancer`.
 * @param {string} slug
 */
function titleOf(slug) {
  const words = slug.replace(/-/g, ' ');
  return words[0].toUpperCase() + words.slice(1);
}

/** @param {ChapterOptions} options */
export function labIdOf({ number, slug }) {
  return `${pad(number)}-${slug}`;
}
