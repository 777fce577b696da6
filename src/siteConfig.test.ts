import {expect, test} from 'vitest';
import {resolveSite, site} from '../site.config.mjs';

test('without overrides, the identity is the one in site.config.mjs', () => {
  const resolved = resolveSite({});
  expect(resolved.title).toBe(site.title);
  expect(resolved.editUrl).toBe(`https://github.com/${site.organization}/${site.repository}/edit/${site.branch}/`);
});

test('a deployment overrides the address and the repository through the environment', () => {
  const resolved = resolveSite({
    SITE_URL: 'https://fork.github.io/',
    SITE_BASE_URL: '/scale-up/',
    SITE_REPOSITORY: 'fork/scale-up',
    SITE_BRANCH: 'course',
  });
  expect(resolved.url).toBe('https://fork.github.io');
  expect(resolved.baseUrl).toBe('/scale-up/');
  expect(resolved.repositoryUrl).toBe('https://github.com/fork/scale-up');
  expect(resolved.editUrl).toBe('https://github.com/fork/scale-up/edit/course/');
});

test('a malformed identity is refused with a message that says what it should look like', () => {
  expect(() => resolveSite({SITE_BASE_URL: 'scale-up'})).toThrow(/must start and end with a slash, like \/scale-up\//);
  expect(() => resolveSite({SITE_URL: 'https://fork.github.io/scale-up'})).toThrow(/scheme and a host only/);
  expect(() => resolveSite({SITE_REPOSITORY: 'fork'})).toThrow(/"owner\/name"/);
});
