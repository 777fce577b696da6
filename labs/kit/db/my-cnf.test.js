// @ts-check
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../lib/config-error.js';
import { parseMyCnf } from './my-cnf.js';
import { GRANTS, startTier, tempDir } from './testing.js';

/** @param {string} text */
function configErrorOf(text) {
  try {
    parseMyCnf(text, 'my.cnf');
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.format();
  }
  assert.fail('expected a ConfigError');
}

test('reads the options of the [mysqld] group; dashes and underscores are the same', () => {
  const options = parseMyCnf('[client]\nport = 1\nwhatever = 2\n\n[mysqld]\n# a comment\nport=3307\nbind_address = "10.0.0.41"  # db-01\n' +
    'datadir = /var/lib/mysql\ninit-file = grants.sql\nskip-name-resolve\nloose-innodb-doublewrite = 0\n', '/etc/mysql/my.cnf');
  assert.equal(options.port, 3307);
  assert.equal(options.bindAddress, '10.0.0.41');
  assert.equal(options.datadir, path.resolve('/var/lib/mysql'));
  assert.equal(options.initFile, path.resolve('/etc/mysql/grants.sql'));
  assert.deepEqual(options.lines, { port: 7, 'bind-address': 8, datadir: 9, 'init-file': 10 });
  assert.match(options.warnings.join('\n'), /my\.cnf:12: unknown option 'loose-innodb-doublewrite' skipped/);
});

test('the defaults are port 3306 on every address', () => {
  const options = parseMyCnf('[mysqld]\n', 'my.cnf');
  assert.equal(options.port, 3306);
  assert.equal(options.bindAddress, '0.0.0.0');
  assert.equal(options.initFile, undefined);
});

test('an unknown option is an error with file, line, option and a hint, like mysqld\'s "unknown variable"', () => {
  assert.equal(configErrorOf('[mysqld]\nport = 3306\n\nmax_conections = 100\n'),
    "my.cnf:4: 'max_conections': unknown variable 'max_conections = 100'\n  hint: did you mean 'max-connections'? supported here: port, " +
    'bind-address, datadir, init-file, innodb-flush-log-at-trx-commit, innodb-flush-log-at-timeout, user, pid-file, socket, log-error, ' +
    'skip-name-resolve, character-set-server, collation-server, max-connections, innodb-buffer-pool-size, sync-binlog (prefix an option with loose- to make the server skip it when it does not know it)');
});

test('other mistakes name their line', () => {
  assert.match(configErrorOf('port = 3306\n[mysqld]\n'), /^my\.cnf:1: found option without preceding group: 'port = 3306'\n  hint: put a line \[mysqld\]/);
  assert.match(configErrorOf('[mysqld]\nport = 33o6\n'), /^my\.cnf:2: 'port': '33o6' is not a port number/);
  assert.match(configErrorOf('[mysqld]\nport\n'), /^my\.cnf:2: 'port': option requires a value/);
  assert.match(configErrorOf('[mysqld]\nbind-address = 127.0.0.1,10.0.0.41\n'), /^my\.cnf:2: 'bind-address': the miniature binds one address/);
  assert.match(configErrorOf('!includedir /etc/mysql/conf.d/\n'), /^my\.cnf:1: '!includedir': include directives are not supported/);
});

test('the server refuses to start on a bad my.cnf or init file, naming file and line', { timeout: 20_000 }, async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'bad.cnf'), '[mysqld]\nport = 22999\nbind-adress = 0.0.0.0\n');
  const badCnf = startTier(t, 'db', ['--defaults-file=bad.cnf'], { cwd: dir });
  assert.equal((await badCnf.exited).code, 1);
  assert.match(badCnf.output(), /^mysqld: bad\.cnf:3: 'bind-adress': unknown variable 'bind-adress = 0\.0\.0\.0'\n  hint: did you mean 'bind-address'\?/);

  writeFileSync(path.join(dir, 'my.cnf'), '[mysqld]\nport = 22999\ndatadir = data\ninit_file = grants.sql\n');
  writeFileSync(path.join(dir, 'grants.sql'), `${GRANTS}\nGRANT SELECT ON shop.* TO 'app'@'10.0.0.32';\n`);
  const badGrants = startTier(t, 'db', ['--defaults-file=my.cnf'], { cwd: dir });
  assert.equal((await badGrants.exited).code, 1);
  assert.match(badGrants.output(), /mysqld: grants\.sql:7: ERROR 1133 \(28000\): Can't find any matching row in the user table/);

  const noArgument = startTier(t, 'db', [], { cwd: dir });
  assert.equal((await noArgument.exited).code, 1);
  assert.match(noArgument.output(), /usage: node kit\/db --defaults-file=my\.cnf/);
});
