// @ts-check
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseScript, parseStatement } from './sql.js';
import { SqlError } from './sql-tokens.js';
import { KIT } from './testing.js';

test('the example grants.sql parses into its four statements', () => {
  const script = parseScript(readFileSync(path.join(KIT, 'db', 'examples', 'grants.sql'), 'utf8'));
  assert.deepEqual(script.map(({ statement, line }) => [statement.kind, line]),
    [['create-database', 2], ['create-table', 4], ['create-user', 12], ['grant', 15]]);
  assert.deepEqual(script[1].statement, {
    kind: 'create-table', ifNotExists: true, table: { db: 'shop', name: 'guestbook' },
    columns: [
      { name: 'id', autoIncrement: true, defaultNow: false },
      { name: 'name', autoIncrement: false, defaultNow: false },
      { name: 'message', autoIncrement: false, defaultNow: false },
      { name: 'created_at', autoIncrement: false, defaultNow: true },
    ],
  });
});

test('accounts, privileges and quoting are read as MySQL writes them', () => {
  assert.deepEqual(parseStatement("CREATE USER `app`@'%' IDENTIFIED BY 'it''s \\\\ \"secret\"'"),
    { kind: 'create-user', ifNotExists: false, account: { user: 'app', host: '%' }, password: 'it\'s \\ "secret"' });
  assert.deepEqual(parseStatement('grant all on *.* to app@localhost with grant option'),
    { kind: 'grant', privileges: ['ALL'], db: '*', table: '*', account: { user: 'app', host: 'localhost' } });
  assert.deepEqual(parseStatement("GRANT SELECT, INSERT ON shop.guestbook TO 'app'"),
    { kind: 'grant', privileges: ['SELECT', 'INSERT'], db: 'shop', table: 'guestbook', account: { user: 'app', host: '%' } });
  const table = parseStatement('CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, price DECIMAL(10,2), PRIMARY KEY (id)) ENGINE=InnoDB');
  assert.deepEqual(table.kind === 'create-table' && table.columns.map((column) => column.name), ['id', 'price']);
});

test('a syntax error names the text and the line, as MySQL does', () => {
  assert.throws(() => parseScript('CREATE DATABASE shop;\n\nGRANT SELECT ON shop.* TO;\n'), (error) => error instanceof SqlError &&
    error.errno === 1064 && error.line === 3 && /near '' at line 3$/.test(error.message));
  assert.throws(() => parseStatement("SELECT * FROM t WHERE name = 'unterminated"), /near ''unterminated' at line 1/);
  assert.throws(() => parseStatement('GRANT FLY ON shop.* TO app'), /near 'FLY ON shop\.\* TO app'/);
  assert.throws(() => parseStatement('SELECT * FROM t; SELECT * FROM u'), /near '; SELECT \* FROM u' at line 1$/);
});
