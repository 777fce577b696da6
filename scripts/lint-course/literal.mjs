// @ts-check
/**
 * The value of a JavaScript literal written in a page, from the syntax tree MDX's parser (acorn) gives it: strings,
 * numbers, booleans, null, template strings without `${}`, and arrays and objects of those. The linter never runs a
 * page's code; anything else (a variable, a call, a spread) is an error that says what it met and where.
 */

/** @typedef {import('estree').Node} EstreeNode */

/**
 * @param {EstreeNode} node
 * @returns {unknown}
 */
export function literalValue(node) {
  switch (node.type) {
    case 'Literal':
      if ('regex' in node || 'bigint' in node) break;
      return node.value;
    case 'TemplateLiteral':
      if (node.expressions.length > 0) break;
      return node.quasis.map((quasi) => quasi.value.cooked ?? quasi.value.raw).join('');
    case 'UnaryExpression':
      if (node.operator === '-' && node.argument.type === 'Literal' && typeof node.argument.value === 'number') {
        return -node.argument.value;
      }
      break;
    case 'ArrayExpression':
      return node.elements.map((element) => {
        if (!element || element.type === 'SpreadElement') {
          throw new Error(notLiteral(element ?? node, 'an empty or spread element'));
        }
        return literalValue(element);
      });
    case 'ObjectExpression':
      return Object.fromEntries(
        node.properties.map((property) => {
          if (property.type !== 'Property' || property.computed || property.shorthand || property.kind !== 'init') {
            throw new Error(notLiteral(property, 'a spread, shorthand, computed or method property'));
          }
          const {key} = property;
          const name = key.type === 'Identifier' ? key.name : key.type === 'Literal' ? String(key.value) : undefined;
          if (name === undefined) throw new Error(notLiteral(key, 'a key that is not a name'));
          return [name, literalValue(property.value)];
        }),
      );
  }
  throw new Error(notLiteral(node, node.type === 'Identifier' ? `the variable \`${node.name}\`` : `a ${node.type}`));
}

/**
 * @param {EstreeNode} node
 * @param {string} what
 */
function notLiteral(node, what) {
  const line = node.loc ? ` on line ${node.loc.start.line}` : '';
  return `${what}${line} is not a literal value`;
}
