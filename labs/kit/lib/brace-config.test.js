// @ts-check
/**
 * The brace tokenizer with the characters people cannot see. What each real program does with them was measured
 * on nginx 1.22 and keepalived 2.2.7 (see invisible.js); the reader matches it, and names what it refuses.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBraceConfig } from './brace-config.js';
import { ConfigError } from './config-error.js';

const nginx = (/** @type {string} */ text) => parseBraceConfig(text, { file: 'nginx.conf', end: 'semicolon' });
const keepalived = (/** @type {string} */ text) => parseBraceConfig(text, { file: 'keepalived.conf', end: 'newline', comments: '#!' });

/**
 * @param {() => unknown} read
 * @param {string} formatted the whole message, hint included
 */
function refuses(read, formatted) {
  assert.throws(read, (error) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.format(), formatted);
    return true;
  });
}

/**
 * The first line of the error that reading throws.
 * @param {() => unknown} read
 */
function firstLine(read) {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.format().split('\n')[0];
  }
  return assert.fail('the reading succeeded');
}

test('a no-break space is named with its line and column, and the hint says what to do', () => {
  refuses(() => nginx('events {}\nhttp {\n    server {\n        listen\u00a080;\n    }\n}\n'),
    'nginx.conf:4: a no-break space (U+00A0) at column 15\n  hint: retype it as an ordinary space');
  refuses(() => keepalived('vrrp_instance VI_1 {\n    priority 101\u00a0\n}\n'),
    'keepalived.conf:2: a no-break space (U+00A0) at column 17\n  hint: retype it as an ordinary space');
});

test('a byte-order mark at the start of the file asks for UTF-8 without BOM', () => {
  refuses(() => nginx('\ufeffevents {}\n'),
    'nginx.conf:1: a byte-order mark (U+FEFF) at column 1\n  hint: save the file as UTF-8 without a byte-order mark (BOM), or delete the first character of the file');
  assert.equal(firstLine(() => keepalived('\ufeffglobal_defs {\n}\n')), 'keepalived.conf:1: a byte-order mark (U+FEFF) at column 1');
});

test('form feed and vertical tab: spaces to keepalived, errors to nginx, as in the real programs', () => {
  for (const c of ['\f', '\v']) {
    assert.deepEqual(keepalived(`vrrp_instance VI_1 {\n    priority${c}101${c}\n}\n`)[0].children?.[0],
      { name: 'priority', args: ['101'], line: 2, end: 2, children: undefined });
    assert.equal(firstLine(() => nginx(`events {}\nhttp {\n    listen${c}80;\n}\n`)),
      `nginx.conf:3: ${c === '\f' ? 'a form feed (U+000C)' : 'a vertical tab (U+000B)'} at column 11`);
  }
});

test('tabs, carriage returns (CRLF files) and ordinary spaces separate words in both', () => {
  assert.deepEqual(nginx('events {}\r\nhttp {\r\n\tlisten\t80;\r\n}\r\n')[1].children?.[0], { name: 'listen', args: ['80'], line: 3, end: 3, children: undefined });
  assert.deepEqual(keepalived('vrrp_instance VI_1 {\r\n\tpriority\t101\r\n}\r\n')[0].children?.[0], { name: 'priority', args: ['101'], line: 2, end: 2, children: undefined });
});

test('NUL, control characters and zero-width spaces are refused, in words and in quotes', () => {
  assert.equal(firstLine(() => nginx('events {}\0\n')), 'nginx.conf:1: a NUL byte (U+0000) at column 10');
  assert.equal(firstLine(() => keepalived('vrrp_script chk {\n    script "/usr/bin/killall\u200b -0 haproxy"\n}\n')),
    'keepalived.conf:2: a zero-width space (U+200B) at column 29');
  assert.equal(firstLine(() => keepalived('global_defs {\n  router_id a\x01\n}\n')), 'keepalived.conf:2: a control character (U+0001) at column 14');
});

test('inside a comment anything goes, as both programs skip it', () => {
  assert.equal(nginx('# caf\u00e9\u00a0\ufeff\f\0\nevents {}\n').length, 1);
  assert.equal(keepalived('! \u00a0\v\nglobal_defs {\n}\n').length, 1);
});

test('nginx: a structural error names the line where nginx notices it, then where the trouble began', () => {
  // Measured with nginx -t 1.22: a missing ';' is noticed at the next token, an unclosed block or quote at the end.
  assert.equal(firstLine(() => nginx('events {}\nhttp {\n    root www\n}\n')),
    `nginx.conf:4: unexpected "}": the 'root' directive on line 3 is not terminated by ';'`);
  assert.equal(firstLine(() => nginx('events {}\nworker_processes\n  1\n')),
    `nginx.conf:4: unexpected end of file, expecting ";" or "}": the 'worker_processes' directive from line 2 is not terminated by ';'`);
  assert.equal(firstLine(() => nginx('events {}\nhttp {\n    server {\n    }\n')),
    `nginx.conf:5: unexpected end of file, expecting "}": the 'http' block opened on line 2 is never closed`);
  assert.equal(firstLine(() => nginx('events {}\nhttp {\n    return 200 "ok;\n}\n')),
    `nginx.conf:5: unexpected end of file, expecting ";" or "}": the quoted string opened on line 3 is never closed`);
});

test('a directive records the line of its name, of its end, and for a block of its closing brace', () => {
  const [server] = nginx('server\n{\n    listen\n        80;\n}\n');
  assert.deepEqual({ line: server.line, end: server.end, close: server.close }, { line: 1, end: 2, close: 5 });
  assert.deepEqual(server.children?.[0], { name: 'listen', args: ['80'], line: 3, end: 4, children: undefined });
});

test('with an error list, every problem is collected and the reading goes on', () => {
  /** @type {ConfigError[]} */
  const errors = [];
  const tree = parseBraceConfig('global_defs {\n  router_id\u00a0lb-01;\n}\n}\nvrrp_instance VI_1 {\n', { file: 'k.conf', end: 'newline', comments: '#!', errors });
  assert.deepEqual(errors.map((e) => e.format().split('\n')[0]), [
    'k.conf:2: a no-break space (U+00A0) at column 12',
    "k.conf:2: unexpected ';'",
    "k.conf:4: unexpected '}'",
    "k.conf:5: 'vrrp_instance': block opened here is never closed: unexpected end of file",
  ]);
  assert.deepEqual(tree.map((d) => d.name), ['global_defs', 'vrrp_instance']);
});

test('every reading ends: each turn of the tokenizer consumes input', () => {
  const alphabet = ['\f', '\v', '\u00a0', '\ufeff', '\0', '\r', '\n', '\t', ' ', '"', "'", '\\', '{', '}', ';', '#', '!', 'a', '\u2028'];
  for (let n = 0; n < 3000; n++) {
    const text = Array.from({ length: 1 + (n % 40) }, (_, i) => alphabet[(n * 7 + i * i * 13) % alphabet.length]).join('');
    for (const end of /** @type {const} */ (['semicolon', 'newline'])) {
      const started = Date.now();
      try {
        parseBraceConfig(text, { file: 'f', end, comments: '#!' });
      } catch (error) {
        assert.ok(error instanceof ConfigError, `${JSON.stringify(text)}: ${error}`);
      }
      assert.ok(Date.now() - started < 200, JSON.stringify(text));
    }
  }
});
