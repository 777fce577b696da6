// @ts-check
/**
 * `node kit/web -t`: a good file passes with nginx's two lines; each broken file in fixtures/broken fails with
 * its file, its line and a hint.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runWeb } from './harness.js';

test('-t accepts the example and says so as nginx does', async () => {
  const { code, output } = await runWeb(['-t', '-c', 'examples/nginx.conf']);
  assert.equal(code, 0, output);
  assert.equal(output, 'nginx: the configuration file examples/nginx.conf syntax is ok\n' +
    'nginx: configuration file examples/nginx.conf test is successful\n');
});

/** @type {Array<{ file: string, line: number, message: RegExp, hint: RegExp }>} */
const BROKEN = [
  { file: 'unknown-directive.conf', line: 8, message: /'proxy_passs': unknown directive/, hint: /did you mean 'proxy_pass'\?/ },
  // Where nginx names them: the end of the file, the line of the token after a missing ';'. Then where they began.
  { file: 'missing-brace.conf', line: 9, message: /unexpected end of file, expecting "\}": the 'http' block opened on line 4 is never closed/, hint: /add the missing '\}'/ },
  { file: 'missing-semicolon.conf', line: 8, message: /'root': invalid number of arguments \(3\)/, hint: /is a ';' missing at the end of line 7/ },
  { file: 'missing-semicolon-before-brace.conf', line: 8, message: /unexpected "\}": the 'root' directive on line 7 is not terminated by ';'/, hint: /add ';' at the end of line 7/ },
  { file: 'missing-include.conf', line: 5, message: /'include': open\(\) ".*upstreams\.conf" failed: no such file/, hint: /starts from the folder of the main configuration file/ },
  { file: 'bad-address.conf', line: 6, message: /'listen': invalid address: port 70000 .*out of range/, hint: /listen 80;/ },
  { file: 'wrong-block.conf', line: 7, message: /'proxy_pass': directive is not allowed in 'server'/, hint: /belongs in a 'location' block/ },
  { file: 'unknown-upstream.conf', line: 11, message: /'proxy_pass': host not found in upstream "ap"/, hint: /did you mean 'app'\?/ },
  { file: 'unknown-variable.conf', line: 7, message: /'add_header': unknown "hostnam" variable/, hint: /did you mean '\$hostname'\?/ },
  { file: 'regex-location.conf', line: 7, message: /regular expression locations .* outside the subset/, hint: /location \^~ \/static\// },
  { file: 'unknown-log-format.conf', line: 5, message: /'access_log': unknown log format "main"/, hint: /"combined" format only/ },
  { file: 'duplicate-default-server.conf', line: 10, message: /a duplicate default server for 0\.0\.0\.0:80$/, hint: /line 6 already names the default server/ },
  { file: 'duplicate-listen.conf', line: 7, message: /'listen': a duplicate listen 0\.0\.0\.0:80$/, hint: /line 6 of this server block listens there already/ },
  { file: 'bad-next-upstream.conf', line: 12, message: /'proxy_next_upstream': invalid value "timout"/, hint: /did you mean 'timeout'\? supported here: error, timeout, .*non_idempotent, off/ },
  { file: 'bad-upstream-address.conf', line: 7, message: /'server': host not found in upstream "300\.1\.1\.1:3000"/, hint: /four numbers from 0 to 255/ },
];

for (const { file, line, message, hint } of BROKEN) {
  test(`-t rejects ${file} naming line ${line}`, async () => {
    const path = `fixtures/broken/${file}`;
    const { code, output } = await runWeb(['-t', '-c', path]);
    assert.equal(code, 1, output);
    const [first, second] = output.split('\n');
    assert.ok(first.startsWith(`nginx: ${path}:${line}: `), `expected ${path}:${line} first, got:\n${output}`);
    assert.match(first, message);
    assert.match(second, /^ {2}hint: /);
    assert.match(second, hint);
    assert.doesNotMatch(output, /syntax is ok|\n\s+at /, 'a broken file is a message, not a stack trace');
  });
}

test('-t names a configuration file that is not there', async () => {
  const { code, output } = await runWeb(['-t', '-c', 'no-such.conf']);
  assert.equal(code, 1);
  assert.match(output, /^nginx: no-such\.conf: cannot read the file: .*no such file/i);
  assert.match(output, /hint: check the path given to -c/);
});

test('an unknown flag prints the usage and fails', async () => {
  const { code, output } = await runWeb(['-x']);
  assert.equal(code, 1);
  assert.match(output, /invalid option: "-x"/);
  assert.match(output, /usage: node kit\/web/);
});
