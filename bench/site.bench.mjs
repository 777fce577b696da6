// @ts-check
/**
 * The site's weight and build time: the JavaScript a chapter page loads first (gzipped), beside a page without any
 * diagram, and a cold production build.
 *
 * "First load" is everything the page fetches to render and become interactive before any diagram comes near the
 * viewport: the browser's IntersectionObserver is replaced by one that never reports, so no diagram asks for Mermaid.
 * The page with its diagrams drawn is measured too, to show what arrives later, when the reader scrolls to them.
 *
 * The build runs on a copy of the site in .cache/ with Rspack's persistent cache off, so that it is cold and leaves
 * build/ alone. Progress goes to stderr; the last line of stdout is the result (see bench/run.mjs).
 *
 *   node bench/site.bench.mjs
 */
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, readFileSync, rmSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {gzipSync} from 'node:zlib';
import {resolveSite} from '../site.config.mjs';
import {chromiumArgs, chromiumMissing, chromiumPath} from '../scripts/lib/chromium.mjs';
import {copySite} from '../scripts/lib/site-copy.mjs';

const GOAL_RATIO = 1.1;

const note = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);
const require = createRequire(import.meta.url);

async function main() {
  if (chromiumMissing) throw new Error(chromiumMissing);
  const site = copySite('bench');
  try {
    const buildSeconds = coldBuild(site);
    const pages = choosePages(path.join(site, 'build'));
    const measured = await measurePages(site, pages);
    printResult(buildSeconds, pages, measured);
  } finally {
    rmSync(site, {recursive: true, force: true});
  }
}

/** @param {string} site */
function coldBuild(site) {
  const cli = path.join(path.dirname(require.resolve('@docusaurus/core/package.json')), 'bin/docusaurus.mjs');
  note('Building a copy of the site, cold...');
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, 'build', site], {
    cwd: site,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {...process.env, DOCUSAURUS_NO_PERSISTENT_CACHE: 'true'},
    timeout: 600_000,
  });
  if (result.status !== 0) {
    throw new Error(`The build failed (exit ${result.status}): run \`npm run build\` to see why`);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  note(`Cold build: ${seconds.toFixed(1)} s`);
  return seconds;
}

/**
 * Every page of the sitemap that has a diagram (the chapters), and the first that has none (the baseline). A diagram
 * leaves a mark in the page's HTML, drawn or not, so the built files tell which is which.
 * @param {string} buildDir
 */
function choosePages(buildDir) {
  const sitemap = readFileSync(path.join(buildDir, 'sitemap.xml'), 'utf8');
  const {baseUrl} = resolveSite();
  const paths = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => new URL(match[1]).pathname);
  const htmlOf = (/** @type {string} */ pagePath) => {
    const folder = path.join(buildDir, pagePath.slice(baseUrl.length));
    const file = path.join(folder, 'index.html');
    return readFileSync(existsSync(file) ? file : `${folder}.html`, 'utf8');
  };
  const docs = paths.filter((pagePath) => !pagePath.endsWith('/search'));
  // A diagram drawn at build time is marked data-drawn-size; one left to the page, data-estimated-size.
  const hasDiagram = (/** @type {string} */ pagePath) => /data-(drawn|estimated)-size/.test(htmlOf(pagePath));
  const chapters = docs.filter(hasDiagram);
  const plain = docs.find((pagePath) => !hasDiagram(pagePath));
  if (chapters.length === 0 || !plain) {
    throw new Error('The site needs a page with a Mermaid diagram and a page without one to compare');
  }
  note(`Pages with diagrams: ${chapters.join(', ')}; page without diagrams: ${plain}`);
  return {chapters, plain};
}

/**
 * @param {string} site
 * @param {{chapters: string[], plain: string}} pages
 */
async function measurePages(site, pages) {
  const {chromium} = await import('@playwright/test');
  const server = await startPreview(site);
  const browser = await chromium.launch({executablePath: chromiumPath, args: chromiumArgs});
  /** @param {string} pagePath @param {boolean} drawDiagrams */
  const scriptsOf = async (pagePath, drawDiagrams) => {
    const context = await browser.newContext({viewport: {width: 1280, height: 800}});
    const page = await context.newPage();
    if (!drawDiagrams) {
      await page.addInitScript(() => {
        // An observer that never reports: no diagram is ever near the viewport.
        globalThis.IntersectionObserver = /** @type {typeof IntersectionObserver} */ (
          /** @type {unknown} */ (
            class {
              observe() {}
              unobserve() {}
              disconnect() {}
              takeRecords() {
                return [];
              }
            }
          )
        );
      });
    }
    /** @type {Set<string>} */
    const scripts = new Set();
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') {
        scripts.add(new URL(response.url()).pathname);
      }
    });
    await page.goto(new URL(pagePath, server.url).href, {waitUntil: 'networkidle'});
    if (drawDiagrams) {
      for (const box of await page.locator('[data-estimated-size]').all()) {
        await box.scrollIntoViewIfNeeded();
        await box.locator('svg').first().waitFor({timeout: 30_000});
      }
      await page.waitForLoadState('networkidle');
    }
    await context.close();
    return [...scripts];
  };
  try {
    const buildDir = path.join(site, 'build');
    const size = (/** @type {string[]} */ scripts) => gzippedBytes(buildDir, server.baseUrl, scripts);
    const isMermaid = (/** @type {string} */ script) => isMermaidCore(buildDir, server.baseUrl, script);
    const plainFirst = size(await scriptsOf(pages.plain, false));
    /** @type {Array<{path: string, firstLoad: number, mermaidInFirstLoad: string[]}>} */
    const chapters = [];
    for (const chapter of pages.chapters) {
      const scripts = await scriptsOf(chapter, false);
      chapters.push({path: chapter, firstLoad: size(scripts), mermaidInFirstLoad: scripts.filter(isMermaid)});
    }
    const drawnPath = pages.chapters[0];
    const firstScripts = await scriptsOf(drawnPath, false);
    const drawnScripts = await scriptsOf(drawnPath, true);
    const lazy = drawnScripts.filter((script) => !firstScripts.includes(script));
    return {
      plainFirst,
      chapters,
      drawn: {path: drawnPath, firstLoad: size(firstScripts), all: size(drawnScripts), lazyScripts: lazy.length},
      mermaidLoadedLater: lazy.some(isMermaid),
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

/**
 * The sum of the scripts' sizes, gzipped (level 6, as a web server compresses them), read from the build.
 * @param {string} buildDir @param {string} baseUrl @param {string[]} scripts
 */
function gzippedBytes(buildDir, baseUrl, scripts) {
  return scripts.reduce((sum, script) => sum + gzipSync(readFileSync(fileOf(buildDir, baseUrl, script))).length, 0);
}

/** Mermaid's core registers its renderer under the name `mermaidAPI`; nothing else on the site contains it. */
function isMermaidCore(/** @type {string} */ buildDir, /** @type {string} */ baseUrl, /** @type {string} */ script) {
  return readFileSync(fileOf(buildDir, baseUrl, script), 'utf8').includes('mermaidAPI');
}

function fileOf(/** @type {string} */ buildDir, /** @type {string} */ baseUrl, /** @type {string} */ script) {
  return path.join(buildDir, script.slice(baseUrl.length));
}

/** scripts/serve.mjs on the copy's build, on a free port. @param {string} site */
function startPreview(site) {
  const child = spawn(process.execPath, ['scripts/serve.mjs', '--port', '0', '--dir', path.join(site, 'build')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`The preview server did not start:\n${output}`)), 15_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /at (http:\/\/\S+?) \(/.exec(output);
      if (match) {
        clearTimeout(timer);
        const url = match[1];
        resolve({
          url,
          baseUrl: new URL(url).pathname,
          stop: () => new Promise((done) => (child.once('exit', done), child.kill('SIGTERM'))),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`The preview server exited (${code}):\n${output}`)));
  });
}

/**
 * @param {number} buildSeconds
 * @param {{chapters: string[], plain: string}} pages
 * @param {Awaited<ReturnType<typeof measurePages>>} measured
 */
function printResult(buildSeconds, pages, measured) {
  const kb = (/** @type {number} */ bytes) => Number((bytes / 1024).toFixed(1));
  const ratioOf = (/** @type {number} */ bytes) => bytes / measured.plainFirst;
  const rows = [
    {subject: `page without diagrams (${pages.plain})`, metric: 'first-load JS', value: kb(measured.plainFirst), unit: 'KB gzip'},
  ];
  for (const chapter of measured.chapters) {
    note(`First load of ${chapter.path}: ${kb(chapter.firstLoad)} KB (x${ratioOf(chapter.firstLoad).toFixed(3)})`);
    rows.push(
      {subject: `chapter page (${chapter.path})`, metric: 'first-load JS', value: kb(chapter.firstLoad), unit: 'KB gzip'},
      {subject: `chapter page (${chapter.path})`, metric: 'first load / page without diagrams', value: Number(ratioOf(chapter.firstLoad).toFixed(3)), unit: 'x'},
    );
  }
  rows.push(
    {subject: `chapter page (${measured.drawn.path})`, metric: 'JS with every diagram drawn', value: kb(measured.drawn.all), unit: 'KB gzip'},
    {subject: 'production build (Docusaurus Faster)', metric: 'cold build time', value: Number(buildSeconds.toFixed(1)), unit: 's'},
  );
  const heaviest = measured.chapters.reduce((worst, chapter) => (chapter.firstLoad > worst.firstLoad ? chapter : worst));
  const withMermaid = measured.chapters.filter((chapter) => chapter.mermaidInFirstLoad.length > 0);
  const goals = [
    {
      goal: `a chapter's first-load JS at most ${GOAL_RATIO} x a page without diagrams`,
      met: ratioOf(heaviest.firstLoad) <= GOAL_RATIO,
      detail: `heaviest ${heaviest.path}: ${ratioOf(heaviest.firstLoad).toFixed(3)} x (${kb(heaviest.firstLoad)} KB vs ${kb(measured.plainFirst)} KB gzipped), over ${measured.chapters.length} chapter pages`,
    },
    {
      // The diagrams are drawn when the site is built: Mermaid should not reach a reader at all.
      goal: "no Mermaid in a chapter's first load, nor when its diagrams come near",
      met: withMermaid.length === 0 && !measured.mermaidLoadedLater,
      detail:
        withMermaid.length > 0
          ? `Mermaid's core is in the first load of ${withMermaid.map((chapter) => chapter.path).join(', ')}`
          : `${measured.drawn.lazyScripts} scripts, ${kb(measured.drawn.all - measured.drawn.firstLoad)} KB gzipped, load when the diagrams of ${measured.drawn.path} come near`,
    },
  ];
  process.stdout.write(`${JSON.stringify({name: 'site', title: 'Site: first-load JavaScript and cold build', rows, goals})}\n`);
}

await main();
