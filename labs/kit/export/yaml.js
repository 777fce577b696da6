// @ts-check
/**
 * Just enough YAML to write a Compose file: mappings, lists and scalars, in block style. Every string is written
 * in double quotes (JSON's quoting, which YAML reads the same way), so that no value is ever read as a number, a
 * boolean or a null by mistake: `"1"`, `"on"` and `"10.0.0.100/24"` stay strings.
 */

/** @typedef {unknown} YamlValue  a string, number, boolean or null; a list of values; an object of values */

/**
 * @param {object} value
 * @returns {string}
 */
export function toYaml(value) {
  return `${block(value, 0).join('\n')}\n`;
}

/**
 * @param {YamlValue} value
 * @param {number} depth
 * @returns {string[]}
 */
function block(value, depth) {
  const indent = '  '.repeat(depth);
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (!isComposite(item)) return [`${indent}- ${scalar(item)}`];
      const [first, ...rest] = block(item, depth + 1);
      return [`${indent}- ${first.trimStart()}`, ...rest];
    });
  }
  if (isComposite(value)) {
    return Object.entries(value).flatMap(([key, item]) => {
      const name = /^[a-z][\w.-]*$/i.test(key) ? key : JSON.stringify(key);
      if (!isComposite(item)) return [`${indent}${name}: ${scalar(item)}`];
      if (Object.keys(item).length === 0) return [`${indent}${name}: ${Array.isArray(item) ? '[]' : '{}'}`];
      return [`${indent}${name}:`, ...block(item, depth + 1)];
    });
  }
  return [`${indent}${scalar(value)}`];
}

/**
 * @param {YamlValue} value
 * @returns {value is object}
 */
function isComposite(value) {
  return value !== null && typeof value === 'object';
}

/** @param {YamlValue} value */
function scalar(value) {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
