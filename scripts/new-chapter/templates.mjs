// @ts-check
/**
 * The scaffold's templates (templates/): files an instructor can read and change, with `{{name}}` where a value
 * goes. The checks are kept as `*.js.tmpl`, so that the site's type check and lint, which cover scripts/, do not
 * read them where their imports (`../../kit/lab/...`) lead nowhere; they are checked where they land, in labs/.
 */
import { readFileSync } from 'node:fs';

const TEMPLATES = new URL('./templates/', import.meta.url);
const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/**
 * A template with its placeholders filled. Throws when a placeholder has no value, or a value no placeholder,
 * so that a template and the code that fills it cannot drift apart silently.
 * @param {string} name  relative to templates/: `lab/web/static.conf`
 * @param {Record<string, string | number>} [values]
 */
export function fill(name, values = {}) {
  const text = readFileSync(new URL(name, TEMPLATES), 'utf8');
  const used = new Set();
  const filled = text.replace(PLACEHOLDER, (_, key) => {
    if (!(key in values)) throw new Error(`templates/${name}: {{${key}}} has no value`);
    used.add(key);
    return String(values[key]);
  });
  const unused = Object.keys(values).filter((key) => !used.has(key));
  if (unused.length > 0) throw new Error(`templates/${name}: no placeholder for ${unused.join(', ')}`);
  return filled;
}

/**
 * A list in prose: `web-01`, `web-01 and web-02`, `web-01, web-02 and web-03` (or `or`).
 * @param {string[]} items
 * @param {'and' | 'or'} [joiner]
 */
export function inWords(items, joiner = 'and') {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${joiner} ${items.at(-1)}`;
}
