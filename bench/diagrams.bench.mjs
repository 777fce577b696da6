// @ts-check
/**
 * What the diagrams cost a reader on a phone: Lighthouse (mobile preset, simulated throttling) on every page with a
 * diagram, against the glossary (a page without any), on the built site served by `npm run serve` (compressed,
 * hashed assets cached for a year), with Debian's Chromium; a page's figures are the medians of five runs. Also: no
 * page may request Mermaid's JavaScript, which a build that drew every diagram (src/plugins/mermaidAtBuild) does not
 * need.
 *
 * The goal compares pages of very different sizes (a chapter has about nine times the glossary's elements), so the
 * drawings' own cost is measured too: the main thread's time while the two chapters with the most drawings load
 * (Chromium's own count, 4x CPU throttling, median of 5 interleaved loads), from build/ and from a copy of it with
 * every drawing taken out of the HTML.
 *
 * It measures build/ as it is: run `npm run build` first. Progress goes to stderr; the last line of stdout is the
 * result (see bench/run.mjs).
 *
 *   node bench/diagrams.bench.mjs [--dir build]
 */
import {spawn} from 'node:child_process';
import {cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {resolveSite} from '../site.config.mjs';
import {chromiumArgs, chromiumMissing, chromiumPath} from '../scripts/lib/chromium.mjs';

const BUILD_DIR = parseArgs({options: {dir: {type: 'string', default: 'build'}}}).values.dir ?? 'build';
const BASELINE = 'glossary';
/** Goals: a chapter scores at least the baseline's score minus this, and blocks at most this times as long. */
const SCORE_MARGIN = 2;
const TBT_RATIO = 1.1;
/**
 * Lighthouse runs per page: on a shared machine one run's Total Blocking Time varies by a third or more (the same
 * glossary gave 572 and 1213 ms in one run of three rounds), and a median of three still moved a chapter across the goal.
 */
const ROUNDS = 5;
/** Loads of each page, with and without its drawings, for the drawings' own cost. */
const COST_ROUNDS = 5;

const note = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

async function main() {
  if (chromiumMissing) throw new Error(chromiumMissing);
  if (!existsSync(path.join(BUILD_DIR, 'index.html'))) {
    throw new Error(`No built site in ${BUILD_DIR}/: run \`npm run build\` first`);
  }
  const {baseUrl} = resolveSite();
  const chapters = pagesWithDiagrams(baseUrl);
  note(`Pages with diagrams: ${chapters.join(', ')}; baseline: ${baseUrl}${BASELINE}`);
  const {default: lighthouse} = await import('lighthouse');
  const chromeLauncher = await import('chrome-launcher');
  const server = await startServer();
  const chrome = await chromeLauncher.launch({
    chromePath: chromiumPath,
    chromeFlags: ['--headless=new', ...chromiumArgs],
  });
  try {
    /** @param {string} pagePath */
    const audit = async (pagePath) => {
      const url = new URL(pagePath, server.url).href;
      const lhr = await lighthouseRun(url);
      const {categories, audits} = lhr;
      const requests = /** @type {{items: Array<{url: string, resourceType?: string}>}} */ (audits['network-requests'].details).items;
      const scripts = requests.filter((item) => item.resourceType === 'Script').map((item) => new URL(item.url).pathname);
      const measured = {
        path: pagePath,
        score: Math.round((categories.performance.score ?? 0) * 100),
        tbt: Math.round(audits['total-blocking-time'].numericValue ?? 0),
        bytes: audits['total-byte-weight'].numericValue ?? 0,
        mermaidScripts: scripts.filter((script) => isMermaid(baseUrl, script)),
      };
      note(`${pagePath}: score ${measured.score}, TBT ${measured.tbt} ms, ${Math.round(measured.bytes / 1024)} KB`);
      return measured;
    };
    /** One Lighthouse run; a run that Lighthouse itself gives up on (a busy machine) is tried once more. */
    const lighthouseRun = async (/** @type {string} */ url) => {
      for (let attempt = 1; ; attempt += 1) {
        const options = {port: chrome.port, output: /** @type {const} */ ('json'), logLevel: /** @type {const} */ ('error'), onlyCategories: ['performance']};
        const lhr = (await lighthouse(url, options))?.lhr;
        const error =
          lhr === undefined
            ? 'no result'
            : (lhr.runtimeError?.message ?? (lhr.categories.performance.score === null ? 'no score' : undefined));
        if (lhr !== undefined && error === undefined) {
          return lhr;
        }
        if (attempt === 2) {
          throw new Error(`Lighthouse could not measure ${url}: ${error}`);
        }
        note(`Lighthouse could not measure ${url} (${error}); once more`);
      }
    };
    // Each page is measured ROUNDS times, the rounds one after another, so that a busy moment of a shared machine
    // falls on all pages alike; a page's figures are its medians.
    const pagePaths = [`${baseUrl}${BASELINE}`, ...chapters];
    /** @type {Map<string, Measured[]>} */
    const runs = new Map(pagePaths.map((pagePath) => [pagePath, []]));
    for (let round = 1; round <= ROUNDS; round += 1) {
      note(`Round ${round} of ${ROUNDS}`);
      for (const pagePath of pagePaths) {
        runs.get(pagePath)?.push(await audit(pagePath));
      }
    }
    const [baseline, ...measured] = pagePaths.map((pagePath) => medianOf(/** @type {Measured[]} */ (runs.get(pagePath))));
    chrome.kill();
    const cost = await drawingsOwnCost(server.url, mostDrawn(baseUrl, chapters, 2));
    printResult(baseline, measured, cost);
  } finally {
    chrome.kill();
    await server.stop();
  }
}

/** A page's built HTML. @param {string} baseUrl @param {string} pagePath */
function htmlFile(baseUrl, pagePath) {
  const folder = path.join(BUILD_DIR, pagePath.slice(baseUrl.length));
  return existsSync(path.join(folder, 'index.html')) ? path.join(folder, 'index.html') : `${folder}.html`;
}

const DRAWING = /<svg id=mermaid-[^>]*>[\s\S]*?<\/svg>/g;

/** The `count` pages with the most drawings. @param {string} baseUrl @param {string[]} pages @param {number} count */
function mostDrawn(baseUrl, pages, count) {
  const drawings = (/** @type {string} */ pagePath) => readFileSync(htmlFile(baseUrl, pagePath), 'utf8').match(DRAWING)?.length ?? 0;
  return [...pages].sort((a, b) => drawings(b) - drawings(a)).slice(0, count);
}

/**
 * The main thread's time while each page loads, from build/ and from a copy without its drawings, interleaved.
 * @param {string} siteUrl build/ served @param {string[]} pages
 * @returns {Promise<{path: string, withMs: number, withoutMs: number}[]>}
 */
async function drawingsOwnCost(siteUrl, pages) {
  const copy = mkdtempSync(path.join(tmpdir(), 'scale-up-no-drawings-'));
  cpSync(BUILD_DIR, copy, {recursive: true});
  for (const entry of readdirSync(copy, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile() || !entry.name.endsWith('.html')) continue;
    const file = path.join(entry.parentPath, entry.name);
    writeFileSync(file, readFileSync(file, 'utf8').replace(DRAWING, '<svg></svg>'));
  }
  const bare = await startServer(copy);
  const {chromium} = await import('playwright-core');
  const browser = await chromium.launch({executablePath: chromiumPath, args: chromiumArgs});
  try {
    /** @type {Map<string, number[]>} */
    const times = new Map();
    for (let round = 0; round < COST_ROUNDS; round += 1) {
      for (const pagePath of pages) {
        for (const [side, url] of round % 2 ? [['without', bare.url], ['with', siteUrl]] : [['with', siteUrl], ['without', bare.url]]) {
          const context = await browser.newContext({viewport: {width: 412, height: 823}, isMobile: true});
          const page = await context.newPage();
          const cdp = await context.newCDPSession(page);
          await cdp.send('Emulation.setCPUThrottlingRate', {rate: 4});
          await cdp.send('Performance.enable');
          await page.goto(new URL(pagePath, url).href, {waitUntil: 'load'});
          await page.waitForTimeout(4000);
          const {metrics} = await cdp.send('Performance.getMetrics');
          const ms = Math.round((metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? 0) * 1000);
          times.set(`${pagePath} ${side}`, [...(times.get(`${pagePath} ${side}`) ?? []), ms]);
          note(`${pagePath} ${side} its drawings: main thread ${ms} ms`);
          await context.close();
        }
      }
    }
    const median = (/** @type {number[]} */ values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    return pages.map((pagePath) => ({
      path: pagePath,
      withMs: median(times.get(`${pagePath} with`) ?? [0]),
      withoutMs: median(times.get(`${pagePath} without`) ?? [0]),
    }));
  } finally {
    await browser.close();
    await bare.stop();
    rmSync(copy, {recursive: true, force: true});
  }
}

/** The pages whose built HTML has a diagram, drawn at build time or left to the page. @param {string} baseUrl */
function pagesWithDiagrams(baseUrl) {
  const sitemap = readFileSync(path.join(BUILD_DIR, 'sitemap.xml'), 'utf8');
  const paths = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => new URL(match[1]).pathname);
  return paths.filter((pagePath) => {
    const file = htmlFile(baseUrl, pagePath);
    return existsSync(file) && /data-(drawn|estimated)-size/.test(readFileSync(file, 'utf8'));
  });
}

/** Mermaid's core registers its renderer under the name `mermaidAPI`; nothing else on the site contains it. */
function isMermaid(/** @type {string} */ baseUrl, /** @type {string} */ script) {
  const file = path.join(BUILD_DIR, script.slice(baseUrl.length));
  return existsSync(file) && readFileSync(file, 'utf8').includes('mermaidAPI');
}

/** `npm run serve` on build/ (or `dir`), on a free port. */
function startServer(dir = BUILD_DIR) {
  const child = spawn(process.execPath, ['scripts/serve.mjs', '--port', '0', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`The server did not start:\n${output}`)), 15_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /at (http:\/\/\S+?) \(/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({url: match[1], stop: () => new Promise((done) => (child.once('exit', done), child.kill('SIGTERM')))});
      }
    });
    child.once('exit', (code) => reject(new Error(`The server exited (${code}):\n${output}`)));
  });
}

/**
 * A page's median score and Total Blocking Time over its runs, its largest byte count, and every Mermaid script any
 * run requested.
 * @param {Measured[]} pageRuns
 * @returns {Measured}
 */
function medianOf(pageRuns) {
  const median = (/** @type {number[]} */ values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return {
    path: pageRuns[0].path,
    score: median(pageRuns.map((run) => run.score)),
    tbt: median(pageRuns.map((run) => run.tbt)),
    bytes: Math.max(...pageRuns.map((run) => run.bytes)),
    mermaidScripts: [...new Set(pageRuns.flatMap((run) => run.mermaidScripts))],
  };
}

/**
 * @typedef {{path: string, score: number, tbt: number, bytes: number, mermaidScripts: string[]}} Measured
 * @param {Measured} baseline
 * @param {Measured[]} chapters
 * @param {{path: string, withMs: number, withoutMs: number}[]} cost
 */
function printResult(baseline, chapters, cost) {
  const rowsOf = (/** @type {Measured} */ page) => [
    {subject: page.path, metric: 'Lighthouse performance (mobile)', value: page.score, unit: '/100'},
    {subject: page.path, metric: 'Total Blocking Time', value: page.tbt, unit: 'ms'},
    {subject: page.path, metric: 'bytes transferred', value: Number((page.bytes / 1024).toFixed(1)), unit: 'KB'},
  ];
  const rows = [
    ...[baseline, ...chapters].flatMap(rowsOf),
    ...cost.flatMap((page) => [
      {subject: `${page.path}, with its drawings`, metric: `main-thread time of the load, 4x CPU, median of ${COST_ROUNDS}`, value: page.withMs, unit: 'ms'},
      {subject: `${page.path}, its drawings taken out`, metric: `main-thread time of the load, 4x CPU, median of ${COST_ROUNDS}`, value: page.withoutMs, unit: 'ms'},
    ]),
  ];
  const worstScore = chapters.reduce((worst, page) => (page.score < worst.score ? page : worst));
  const worstTbt = chapters.reduce((worst, page) => (page.tbt > worst.tbt ? page : worst));
  const tbtLimit = baseline.tbt * TBT_RATIO;
  const withMermaid = [baseline, ...chapters].filter((page) => page.mermaidScripts.length > 0);
  const goals = [
    {
      goal: `every chapter's performance score at least the glossary's minus ${SCORE_MARGIN}`,
      met: worstScore.score >= baseline.score - SCORE_MARGIN,
      detail: `lowest ${worstScore.path}: ${worstScore.score} vs ${baseline.score}`,
    },
    {
      goal: `every chapter's Total Blocking Time at most ${TBT_RATIO} x the glossary's`,
      met: worstTbt.tbt <= tbtLimit,
      detail: `highest ${worstTbt.path}: ${worstTbt.tbt} ms vs ${baseline.tbt} ms (limit ${Math.round(tbtLimit)} ms)`,
    },
    {
      goal: 'no page requests Mermaid JavaScript',
      met: withMermaid.length === 0,
      detail:
        withMermaid.length === 0
          ? `none of ${chapters.length + 1} pages did`
          : withMermaid.map((page) => `${page.path}: ${page.mermaidScripts.join(', ')}`).join('; '),
    },
  ];
  const title = 'Diagrams: Lighthouse on the chapters against the glossary';
  process.stdout.write(`${JSON.stringify({name: 'diagrams', title, rows, goals})}\n`);
}

await main();
