// @ts-check
/**
 * The identity of this copy of the course: the one file a fork edits to make the site its own.
 *
 * Everything else (the Docusaurus config, "Edit this page" links, the preview server, the tests) reads it from here.
 * A deployment can override any field with an environment variable, so that a CI job can publish a fork without
 * editing the file: SITE_URL, SITE_BASE_URL, SITE_REPOSITORY ("owner/name") and SITE_BRANCH.
 *
 * Plain JavaScript rather than TypeScript, because the Node scripts in scripts/ read it too, and Node 20 cannot
 * import TypeScript.
 */

/**
 * @typedef {object} SiteIdentity
 * @property {string} title        the site's name, in the navbar and the browser tab
 * @property {string} tagline      one line under the title, in search results and link previews
 * @property {string} url          where the site is published, scheme and host only: "https://you.github.io"
 * @property {string} baseUrl      the path the site lives under, with both slashes: "/" or "/scale-up/"
 * @property {string} organization the GitHub user or organization that owns the repository
 * @property {string} repository   the repository's name
 * @property {string} branch       the branch that "Edit this page" links open
 */

/** @type {SiteIdentity} */
export const site = {
  title: 'Scale Up',
  tagline: 'Grow a web infrastructure one server at a time, and run every step of it.',
  url: 'https://example.github.io',
  baseUrl: '/',
  organization: 'example',
  repository: 'scale-up',
  branch: 'main',
};

/**
 * The identity with the environment's overrides applied, checked, and with the addresses derived from it.
 * @param {Record<string, string | undefined>} [env]
 */
export function resolveSite(env = process.env) {
  const [organization, repository] = env.SITE_REPOSITORY
    ? env.SITE_REPOSITORY.split('/')
    : [site.organization, site.repository];
  const resolved = {
    ...site,
    url: (env.SITE_URL || site.url).replace(/\/+$/, ''),
    baseUrl: env.SITE_BASE_URL || site.baseUrl,
    organization,
    repository,
    branch: env.SITE_BRANCH || site.branch,
  };
  check(resolved, Boolean(env.SITE_REPOSITORY || env.SITE_BASE_URL || env.SITE_URL));
  const repositoryUrl = `https://github.com/${resolved.organization}/${resolved.repository}`;
  return {
    ...resolved,
    repositoryUrl,
    /** The folder that "Edit this page" appends a doc's path to (docs/01-one-server.mdx). */
    editUrl: `${repositoryUrl}/edit/${resolved.branch}/`,
  };
}

/**
 * @param {SiteIdentity} identity
 * @param {boolean} fromEnvironment
 */
function check(identity, fromEnvironment) {
  const where = fromEnvironment ? 'site.config.mjs or the SITE_* environment variables' : 'site.config.mjs';
  if (!/^https?:\/\/[^/]+$/.test(identity.url)) {
    throw new Error(`The site url "${identity.url}" (${where}) must be a scheme and a host only, like https://you.github.io`);
  }
  if (!identity.baseUrl.startsWith('/') || !identity.baseUrl.endsWith('/')) {
    throw new Error(`The site baseUrl "${identity.baseUrl}" (${where}) must start and end with a slash, like /scale-up/`);
  }
  if (!identity.organization || !identity.repository) {
    throw new Error(`The site repository (${where}) must be "owner/name", like you/scale-up`);
  }
}
