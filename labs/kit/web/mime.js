// @ts-check
/**
 * Content-Type from a file's extension. The table comes from `types { ... }` blocks, usually read through
 * `include mime.types;`; without one, nginx knows only three types, and so does the miniature.
 */
import { fileURLToPath } from 'node:url';

/** nginx's built-in table, used when the http block has no `types`. */
export const BUILT_IN_TYPES = new Map([['html', 'text/html'], ['gif', 'image/gif'], ['jpg', 'image/jpeg']]);

/** The kit's own mime.types, used when a configuration includes a mime.types file that is not there. */
export const KIT_MIME_TYPES = fileURLToPath(new URL('./mime.types', import.meta.url));

/**
 * Adds the entries of a `types` block (`text/css css;`) to a table.
 * @param {Map<string, string>} table
 * @param {{ name: string, args: string[] }[]} entries
 */
export function addTypes(table, entries) {
  for (const { name, args } of entries) {
    for (const extension of args) table.set(extension.toLowerCase(), name);
  }
}

/**
 * @param {string} path a URI or a file name
 * @param {Map<string, string>} table
 * @param {string} defaultType
 */
export function contentTypeOf(path, table, defaultType) {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  if (dot === -1) return defaultType;
  return table.get(name.slice(dot + 1).toLowerCase()) ?? defaultType;
}
