// @ts-check
/**
 * Characters that look like nothing, or like a space, but are not the space a configuration reader splits words
 * on: a no-break space pasted from a web page, a byte-order mark written by an editor, a form feed. A person
 * cannot see them, so an error about them must name them and say where they are.
 *
 * Measured on the real programs (nginx 1.22, keepalived 2.2.7): both split words on space, tab, carriage return
 * (so CRLF files work) and line feed. keepalived, which reads with C's isspace(), also takes form feed and vertical
 * tab as spaces; nginx makes them part of a word, and the file fails. Both refuse a byte-order mark and a no-break
 * space (nginx: `unknown directive "<U+FEFF>events"`; keepalived: `Unknown keyword 'priority 101'`). Inside a comment both
 * read nothing, so anything goes there.
 */

/** @type {Record<number, string>} the invisible characters people meet, by code point */
const NAMES = {
  0x00: 'a NUL byte',
  0x0b: 'a vertical tab',
  0x0c: 'a form feed',
  0x7f: 'a DEL character',
  0x85: 'a next-line character',
  0xa0: 'a no-break space',
  0xad: 'a soft hyphen',
  0x1680: 'an Ogham space mark',
  0x180e: 'a Mongolian vowel separator',
  0x200b: 'a zero-width space',
  0x200c: 'a zero-width non-joiner',
  0x200d: 'a zero-width joiner',
  0x200e: 'a left-to-right mark',
  0x200f: 'a right-to-left mark',
  0x2028: 'a line separator',
  0x2029: 'a paragraph separator',
  0x202f: 'a narrow no-break space',
  0x205f: 'a medium mathematical space',
  0x2060: 'a word joiner',
  0x3000: 'an ideographic space',
  0xfeff: 'a byte-order mark',
  0xfffd: 'a replacement character (the file is not valid UTF-8)',
};

/**
 * The name of an invisible character, such as `a no-break space (U+00A0)`, or undefined for a visible one.
 * @param {string} char one UTF-16 code unit
 */
export function invisibleName(char) {
  const code = char.charCodeAt(0);
  const name = NAMES[code]
    ?? (code < 0x20 || (code >= 0x80 && code < 0xa0) ? 'a control character' : undefined)
    ?? (code >= 0x2000 && code <= 0x200a ? 'a typographic space' : undefined)
    ?? (code >= 0xd800 && code <= 0xdfff ? 'half of a character that is not valid UTF-16' : undefined);
  return name && `${name} (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
}

/**
 * What to do about it, for the hint.
 * @param {string} char
 * @param {boolean} atStart at the very start of the file
 */
export function invisibleHint(char, atStart) {
  const code = char.charCodeAt(0);
  if (code === 0xfeff && atStart) return 'save the file as UTF-8 without a byte-order mark (BOM), or delete the first character of the file';
  if (code === 0xfffd) return 'save the file as UTF-8, then retype the character shown as \uFFFD';
  if (code === 0xa0 || code === 0x202f || code === 0x3000 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a)) {
    return 'retype it as an ordinary space';
  }
  return 'delete it (it often comes with text pasted from a web page or a word processor), and retype any space there as an ordinary space';
}
