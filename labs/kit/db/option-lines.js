// @ts-check
/**
 * Cuts my.cnf into the lines the server reads, the way MariaDB's option-file reader (C's fgets and isspace) does.
 * What that means for the characters a person cannot see, measured on MariaDB 10.11:
 *
 * - space, tab, carriage return (so CRLF files work), form feed and vertical tab are spaces around a line, a name or
 *   a value;
 * - a NUL byte ends the line: what follows it on that line is not read at all;
 * - a byte-order mark, a no-break space, a zero-width space... are not spaces. A byte-order mark makes the first line
 *   `\uFEFF[mysqld]`, which is not a group; a no-break space becomes part of a name (unknown variable) or of a value;
 * - a line of more than 4095 bytes is read in pieces, and the rest of it becomes a line of its own.
 */
import { invisibleHint, invisibleName } from '../lib/invisible.js';

/** The longest line MariaDB reads whole: its buffer is 4096 bytes, the last one for the NUL that ends a C string. */
export const MAX_LINE_BYTES = 4095;

/** C's isspace(): what MariaDB trims around lines, names and values. JavaScript's trim() also takes U+00A0, U+FEFF... */
const C_SPACE = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;

/** @param {string} text */
export function trimSpace(text) {
  return text.replace(C_SPACE, '');
}

/**
 * Each line as MariaDB reads it, with its number, cut at a NUL byte and trimmed, and how many characters the trim
 * took from its start (to count columns); blank lines too.
 * @param {string} text
 * @param {(line: number, message: string) => void} warn
 * @param {(line: number, message: string, hint: string) => never} refuse
 */
export function* readLines(text, warn, refuse) {
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    let raw = lines[index];
    const bytes = Buffer.byteLength(raw);
    if (bytes > MAX_LINE_BYTES) {
      refuse(line, `the line is ${bytes} bytes long: MariaDB reads at most ${MAX_LINE_BYTES} bytes of a line, and takes the rest for a line of its own`,
        'split it, or shorten it (a long comment too)');
    }
    const nul = raw.indexOf('\0');
    if (nul >= 0) {
      if (raw.slice(nul).replace(/\0/g, '').trim() !== '') {
        warn(line, `a NUL byte (U+0000) at column ${nul + 1}: the rest of the line is not read, as MariaDB does not read it`);
      }
      raw = raw.slice(0, nul);
    }
    const content = trimSpace(raw);
    yield { line, content, indent: content === '' ? 0 : raw.indexOf(content) };
  }
}

/**
 * The first character of text that a person cannot see and that is not one of C's spaces, or undefined.
 * @param {string} text
 * @param {boolean} [atFileStart] text is the start of the file: a byte-order mark there gets its own hint
 * @returns {{ name: string, column: number, hint: string } | undefined}
 */
export function findInvisible(text, atFileStart = false) {
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (' \t\v\f\r\n'.includes(char)) continue;
    const name = invisibleName(char);
    if (name) return { name, column: i + 1, hint: invisibleHint(char, atFileStart && i === 0) };
  }
  return undefined;
}

/**
 * Text for a message, with each invisible character written out as <U+00A0>, cut at 80 characters.
 * @param {string} text
 */
export function visible(text) {
  const shown = [...text].map((char) => (findInvisible(char) ? `<U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>` : char)).join('');
  return shown.length > 80 ? `${shown.slice(0, 80)}...` : shown;
}
