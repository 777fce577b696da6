// @ts-check
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { parseOptions, runnerLink } from './options.js';

const projectRoot = path.resolve(import.meta.dirname, '..');
const noSite = path.join(import.meta.dirname, 'no-such-project');

test('by default: port 7300, the local site, the deployed site from site.config.mjs, a fresh 32-byte token', async () => {
  const options = await parseOptions([], { projectRoot, env: { SITE_URL: 'https://fork.example', SITE_BASE_URL: '/scale-up/' } });
  assert.equal(options.port, 7300);
  assert.deepEqual(options.origins, ['http://localhost:3000', 'http://127.0.0.1:3000', 'https://fork.example']);
  assert.equal(options.site, 'https://fork.example/scale-up/');
  assert.equal(Buffer.from(options.token, 'base64url').length, 32);
  assert.equal(options.workspaceRoot, path.join(projectRoot, '.labs-workspace'));
  const again = await parseOptions([], { projectRoot, env: {} });
  assert.notEqual(again.token, options.token);
});

test('without a site identity file, the link opens the local site', async () => {
  const options = await parseOptions([], { projectRoot: noSite });
  assert.deepEqual(options.origins, ['http://localhost:3000', 'http://127.0.0.1:3000']);
  assert.equal(options.site, 'http://localhost:3000/');
});

test('the page --site names is linked to and allowed, with the default origins', async () => {
  const options = await parseOptions(['--site', 'http://localhost:3001/'], { projectRoot });
  assert.equal(options.site, 'http://localhost:3001/');
  assert.deepEqual(options.origins, ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://localhost:3001']);
});

test('--origin is repeatable, replaces the defaults and keeps only the origin of each address', async () => {
  const options = await parseOptions(['--origin', 'https://a.example/course/', '--origin', 'http://localhost:8080'], { projectRoot: noSite });
  assert.deepEqual(options.origins, ['https://a.example', 'http://localhost:8080']);
  assert.equal(options.site, 'https://a.example/');
});

test('the link carries the port and the token in its fragment only', () => {
  const link = new URL(runnerLink('https://you.github.io/scale-up/', 7300, 'tok-0123456789abcdef'));
  assert.equal(link.pathname, '/scale-up/');
  assert.equal(link.search, '');
  assert.equal(link.hash, '#runner=7300&token=tok-0123456789abcdef');
});
