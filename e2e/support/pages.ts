/**
 * The pages the end-to-end tests open: every page of the built sidebar, read from what `docusaurus build` generated
 * in .docusaurus/ (the sidebar, and for each doc its source file), never from a hand-written list.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {resolveSite} from '../../site.config.mjs';

export interface SitePage {
  /** The page's path on the site, with the base URL: "/one-server" */
  path: string;
  title: string;
  /** The doc's source file, relative to the repository: "docs/01-one-server.mdx" */
  source: string;
  /** How many ```mermaid blocks the source has: the page must show as many drawn diagrams. */
  diagrams: number;
}

interface SidebarItem {
  type: string;
  href?: string;
  label?: string;
  docId?: string;
  items?: SidebarItem[];
  link?: {type: string; id?: string};
}

const DOCS_DATA = '.docusaurus/docusaurus-plugin-content-docs/default';

export function readSidebarPages(siteDir = process.cwd()): SitePage[] {
  const dataDir = path.join(siteDir, DOCS_DATA);
  const readJson = (file: string) => JSON.parse(readFileSync(path.join(dataDir, file), 'utf8'));
  const sourceOf = new Map<string, string>();
  for (const file of readdirSync(dataDir).filter((name) => name.startsWith('site-docs-'))) {
    const doc = readJson(file) as {id: string; source: string};
    sourceOf.set(doc.id, doc.source.replace(/^@site\//, ''));
  }
  const versions = readdirSync(path.join(dataDir, 'p')).map((file) => readJson(path.join('p', file)));
  const sidebars = versions.flatMap((data) => Object.values(data.version.docsSidebars as Record<string, SidebarItem[]>));
  const pages = new Map<string, SitePage>();
  const visit = (item: SidebarItem) => {
    const docId = item.docId ?? item.link?.id;
    if (item.href && docId && !pages.has(item.href)) {
      const source = sourceOf.get(docId);
      if (source === undefined) {
        throw new Error(`The sidebar links to doc "${docId}", whose source is not in ${DOCS_DATA}: rebuild the site`);
      }
      const text = readFileSync(path.join(siteDir, source), 'utf8');
      pages.set(item.href, {path: item.href, title: item.label ?? docId, source, diagrams: countDiagrams(text)});
    }
    item.items?.forEach(visit);
  };
  sidebars.flat().forEach(visit);
  return [...pages.values()];
}

function countDiagrams(markdown: string): number {
  return markdown.match(/^\s*(```|~~~)mermaid\b/gm)?.length ?? 0;
}

/** The pages, as global setup found them (it passes them to the test workers through the environment). */
export function sidebarPages(): SitePage[] {
  const pages = process.env.E2E_PAGES;
  if (!pages) {
    throw new Error('E2E_PAGES is not set: run the end-to-end tests with `npm run test:e2e`, which sets it up');
  }
  return JSON.parse(pages) as SitePage[];
}

/** The HTML that the build wrote for a page of the site ("/one-server"), as a server sends it. */
export function builtHtmlOf(pagePath: string, buildDir = 'build'): string {
  const relative = pagePath.slice(resolveSite().baseUrl.length);
  const folder = path.join(buildDir, relative);
  return existsSync(path.join(folder, 'index.html'))
    ? readFileSync(path.join(folder, 'index.html'), 'utf8')
    : readFileSync(`${folder}.html`, 'utf8');
}

/** The origin and base URL of the preview server that global setup started: "http://localhost:41235/" */
export function siteUrl(pagePath = '/'): string {
  const base = process.env.E2E_BASE_URL;
  if (!base) {
    throw new Error('E2E_BASE_URL is not set: run the end-to-end tests with `npm run test:e2e`');
  }
  return new URL(pagePath, base).href;
}
