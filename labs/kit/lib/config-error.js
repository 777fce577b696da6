// @ts-check
/**
 * An error in a configuration file, reported the way the real servers do: the file, the line, the directive,
 * what is wrong and what to do about it. Every tier throws this for a bad configuration, and every tier's
 * `-c` / `-t` flag prints `error.format()`.
 */
export class ConfigError extends Error {
  /**
   * @param {object} where
   * @param {string} where.file     the configuration file, as the user named it
   * @param {number} where.line     1-based line number (0 when the problem is the whole file)
   * @param {string} [where.directive] the directive at fault, when there is one
   * @param {string} message        what is wrong, in one sentence
   * @param {string} [hint]         what to do about it: the supported alternatives, the fix
   */
  constructor({ file, line, directive }, message, hint) {
    super(message);
    this.name = 'ConfigError';
    this.file = file;
    this.line = line;
    this.directive = directive;
    this.hint = hint;
  }

  /** One or two lines for a person: `haproxy.cfg:12: 'balance': unknown algorithm 'fastest'` and the hint. */
  format() {
    const where = this.line > 0 ? `${this.file}:${this.line}` : this.file;
    const what = this.directive ? `'${this.directive}': ${this.message}` : this.message;
    return this.hint ? `${where}: ${what}\n  hint: ${this.hint}` : `${where}: ${what}`;
  }
}

/**
 * Builds the "did you mean / supported are" hint for an unknown word.
 * @param {string} word
 * @param {readonly string[]} known
 */
export function supportedHint(word, known) {
  const close = closestWord(word, known);
  const list = `supported here: ${known.join(', ')}`;
  return close ? `did you mean '${close}'? ${list}` : list;
}

/**
 * The known word that `word` is most likely a typo of: at most two letters added, removed or changed, whatever
 * their case; undefined when none is that close. The course site's checks of manifests and front matter use it too.
 * @param {string} word
 * @param {readonly string[]} known
 * @returns {string | undefined}
 */
export function closestWord(word, known) {
  let best;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(candidate.toLowerCase(), word.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/**
 * Levenshtein distance, small and slow: fine for config words.
 * @param {string} a
 * @param {string} b
 */
function editDistance(a, b) {
  /** @type {number[]} */
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
