// @ts-check
/**
 * Access control lists: named tests on a request, used to pick a backend.
 *
 *   acl is_api path_beg /api /v2      <- true when the path starts with /api or /v2
 *   acl is_home path /                <- true when the path is exactly /
 *   use_backend app if is_api         <- a condition: ACL names, `!` negates, side by side means AND, `||` means OR
 *
 * As in HAProxy, several `acl` lines with the same name are OR'ed, and an ACL must be declared before it is used.
 * The miniature reads only the path tests; HAProxy has hundreds of fetches (headers, source address, ...).
 */
import { ConfigError, supportedHint } from '../lib/config-error.js';

const CRITERIA = /** @type {const} */ (['path', 'path_beg', 'path_end']);

/**
 * @typedef {{ criterion: typeof CRITERIA[number], ignoreCase: boolean, patterns: string[] }} AclTest
 * @typedef {Map<string, AclTest[]>} Acls  the ACLs of one section, by name
 * @typedef {{ name: string, negate: boolean }} Term
 * @typedef {{ unless: boolean, anyOf: Term[][] }} Condition  `if a b || c` is anyOf [[a, b], [c]]
 * @typedef {{ file: string, line: number, directive: string }} Where
 */

/**
 * @param {string[]} args the words after `acl`
 * @param {Where} where
 * @returns {{ name: string, test: AclTest }}
 */
export function parseAcl(args, where) {
  const [name, criterion, ...rest] = args;
  if (!name || !criterion) throw new ConfigError(where, 'an acl needs a name, a criterion and patterns', 'write: acl is_api path_beg /api');
  const known = CRITERIA.find((c) => c === criterion);
  if (!known) {
    throw new ConfigError(where, `unknown criterion '${criterion}' (the miniature reads only path tests)`, supportedHint(criterion, CRITERIA));
  }
  const ignoreCase = rest[0] === '-i';
  const patterns = ignoreCase ? rest.slice(1) : rest;
  const flag = patterns.find((p) => p.startsWith('-'));
  if (flag) throw new ConfigError(where, `unsupported acl flag '${flag}'`, 'the miniature supports only -i (ignore case)');
  if (patterns.length === 0) throw new ConfigError(where, `acl '${name}' has no pattern`, `write: acl ${name} ${criterion} /api`);
  return { name, test: { criterion: known, ignoreCase, patterns: ignoreCase ? patterns.map((p) => p.toLowerCase()) : patterns } };
}

/**
 * @param {string[]} words e.g. ['if', 'is_api', '!is_admin']
 * @param {Acls} acls the ACLs declared so far in the section
 * @param {Where} where
 * @returns {Condition}
 */
export function parseCondition(words, acls, where) {
  const [keyword, ...terms] = words;
  if (keyword !== 'if' && keyword !== 'unless') {
    throw new ConfigError(where, `expected 'if' or 'unless', found '${keyword ?? 'nothing'}'`, 'write: use_backend app if is_api');
  }
  if (terms.length === 0) throw new ConfigError(where, `'${keyword}' needs at least one acl name`, 'write: use_backend app if is_api');
  /** @type {Term[][]} */
  const anyOf = [[]];
  for (const term of terms) {
    if (term === '||' || term === 'or') {
      anyOf.push([]);
      continue;
    }
    if (term === '{' || term.startsWith('{')) {
      throw new ConfigError(where, 'anonymous acls in braces are not supported by the miniature', 'declare a named acl on its own line and use its name');
    }
    const negate = term.startsWith('!');
    const name = negate ? term.slice(1) : term;
    if (!acls.has(name)) {
      throw new ConfigError(where, `no acl named '${name}' is declared before this line`,
        acls.size ? supportedHint(name, [...acls.keys()]) : `declare it first, e.g.: acl ${name} path_beg /api`);
    }
    anyOf[anyOf.length - 1].push({ name, negate });
  }
  if (anyOf.some((all) => all.length === 0)) throw new ConfigError(where, `'||' needs an acl on both sides`, 'write: if is_api || is_admin');
  return { unless: keyword === 'unless', anyOf };
}

/**
 * @param {Condition} condition
 * @param {Acls} acls
 * @param {string} path the request path, without the query string
 */
export function conditionHolds(condition, acls, path) {
  const holds = condition.anyOf.some((all) => all.every((term) => aclMatches(acls.get(term.name) ?? [], path) !== term.negate));
  return holds !== condition.unless;
}

/**
 * @param {AclTest[]} tests
 * @param {string} path
 */
function aclMatches(tests, path) {
  return tests.some((test) => {
    const subject = test.ignoreCase ? path.toLowerCase() : path;
    return test.patterns.some((pattern) => {
      switch (test.criterion) {
        case 'path': return subject === pattern;
        case 'path_beg': return subject.startsWith(pattern);
        case 'path_end': return subject.endsWith(pattern);
      }
    });
  });
}
