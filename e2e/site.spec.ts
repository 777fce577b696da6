/**
 * Every page of the sidebar, opened in Chromium from the production build as a learner would see it: it renders
 * without console errors, is cross-origin isolated, links "Edit this page" to the fork's repository, shows every
 * Mermaid diagram, and has no serious or critical accessibility violations, in light and in dark mode.
 * Then search, the colour-mode toggle, and the diagrams that the build drew: inline SVG in the HTML, in both modes,
 * and no Mermaid JavaScript on any page.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {expect, test, type Page} from '@playwright/test';
import {resolveSite} from '../site.config.mjs';
import {expectAccessible} from './support/accessibility';
import {builtHtmlOf, sidebarPages, siteUrl, type SitePage} from './support/pages';

const pages = sidebarPages();

test('the sidebar has pages to test, and at least one has a diagram', () => {
  expect(pages.length).toBeGreaterThan(1);
  expect(pages.some((page) => page.diagrams > 0)).toBe(true);
});

for (const sitePage of pages) {
  test(`${sitePage.path} (${sitePage.source})`, async ({page}) => {
    // A page holds each diagram twice, drawn for light and for dark, and the accessibility scan walks both.
    test.slow(sitePage.diagrams > 0);
    const errors = collectErrors(page);
    await page.goto(siteUrl(sitePage.path));
    await expect(page.locator('article h1').first()).toBeVisible();
    expect(await page.evaluate(() => window.crossOriginIsolated), 'crossOriginIsolated').toBe(true);
    await expect(page.getByRole('link', {name: 'Edit this page'})).toHaveAttribute(
      'href',
      `${resolveSite().editUrl}${sitePage.source}`,
    );

    await expectDiagramsDrawn(page, sitePage, 'light');
    await expectAccessible(page, 'light mode');

    await page.emulateMedia({colorScheme: 'dark'});
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expectDiagramsDrawn(page, sitePage, 'dark');
    await expectAccessible(page, 'dark mode');

    expect(errors, 'console errors and uncaught exceptions').toEqual([]);
  });
}

test('search finds a word from a chapter and goes to it', async ({page}) => {
  const chapter = pages.find((candidate) => candidate.diagrams > 0)!;
  await page.goto(siteUrl(chapter.path));
  const heading = (await page.locator('article h2').first().textContent())!.replace(/\u200b/g, '').trim();

  await page.goto(siteUrl('/'));
  const search = page.getByLabel('Search', {exact: true});
  await search.click();
  await search.pressSequentially(heading, {delay: 40});
  const result = page.getByRole('option').filter({hasText: heading}).first();
  await expect(result).toBeVisible();
  await result.click();

  await expect.poll(() => new URL(page.url()).pathname, {message: 'the result leads to the chapter'}).toBe(chapter.path);
  await expect(page.getByRole('heading', {level: 2, name: heading})).toBeVisible();
});

test('the colour-mode toggle shows the dark drawings without drawing again, and is remembered', async ({page}) => {
  const chapter = pages.find((candidate) => candidate.diagrams > 0)!;
  await page.goto(siteUrl(chapter.path));
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'light');
  const box = page.locator(DIAGRAM_BOX).first();
  await box.scrollIntoViewIfNeeded();
  await expect(box.locator(DRAWING).filter({visible: true})).toHaveAttribute('id', /-light$/);
  const before = await box.innerHTML();

  // The toggle cycles through the modes (system, light, dark); a person clicks until the page is dark.
  const toggle = page.getByRole('button', {name: /dark and light mode/});
  for (let clicks = 0; clicks < 3 && (await html.getAttribute('data-theme')) !== 'dark'; clicks += 1) {
    await toggle.click();
  }
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect(box.locator(DRAWING).filter({visible: true}), 'the dark drawing is shown').toHaveAttribute('id', /-dark$/);
  expect(await box.innerHTML(), 'switching the mode redraws nothing').toBe(before);

  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
});

test('every diagram of the course is an inline SVG in the built HTML, with its title, in both modes', () => {
  for (const sitePage of pages.filter((candidate) => candidate.diagrams > 0)) {
    // The HTML after each drawn diagram's box, up to the next one: the box's light and dark drawings come first.
    const boxes = builtHtmlOf(sitePage.path).split('data-drawn-size=').slice(1);
    expect(boxes.length, `the build drew every diagram of ${sitePage.source} (see its "Diagrams:" line)`).toBe(
      sitePage.diagrams,
    );
    boxes.forEach((box, index) => {
      for (const mode of ['light', 'dark']) {
        const drawing = new RegExp(
          `<svg [^>]*id="?mermaid-\\w+-${mode}\\b[^>]*>\\s*<title[^>]*>[^<]+</title>\\s*<desc[^>]*>[^<]+</desc>`,
        );
        expect(box, `diagram ${index + 1} of ${sitePage.source}: an SVG with a title and a description, ${mode}`).toMatch(
          drawing,
        );
      }
    });
  }
});

test('a chapter reached by a link fetches its drawings, and no script carries one', async ({page}) => {
  // The chapter with the most diagrams (the course's chapters are at the top of the sidebar, never folded).
  const chapter = pages.reduce((most, candidate) => (candidate.diagrams > most.diagrams ? candidate : most));
  const errors = collectErrors(page);
  const fetched: string[] = [];
  const scriptsWithDrawings: string[] = [];
  const reads: Promise<void>[] = [];
  page.on('response', (response) => {
    if (/\/assets\/diagrams\/[0-9a-f]{64}\.json$/.test(response.url()) && response.ok()) {
      fetched.push(response.url());
    }
    if (response.request().resourceType() === 'script') {
      reads.push(
        response.text().then((text) => {
          if (/<svg id=\\?"mermaid-/.test(text)) {
            scriptsWithDrawings.push(response.url());
          }
        }),
      );
    }
  });
  await page.goto(siteUrl('/glossary'));
  await page.getByRole('navigation', {name: 'Docs sidebar'}).getByRole('link', {name: chapter.title, exact: true}).click();
  await expect.poll(() => new URL(page.url()).pathname, {message: 'the link leads to the chapter'}).toBe(chapter.path);

  await expectDiagramsDrawn(page, chapter, 'light');
  expect(fetched.length, 'one file fetched per drawing, since the page was not loaded afresh').toBe(chapter.diagrams);
  await Promise.all(reads);
  expect(reads.length, 'scripts were loaded and read').toBeGreaterThan(0);
  expect(scriptsWithDrawings, 'scripts that carry a drawing').toEqual([]);
  expect(errors, 'console errors and uncaught exceptions').toEqual([]);
});

test('no page asks for Mermaid, even scrolled to its end', async ({page}) => {
  // The scripts' paths are noted as they arrive, and read from the build afterwards: a response's body can no longer
  // be read once the page has moved on to the next chapter.
  const scripts = new Set<string>();
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') {
      scripts.add(new URL(response.url()).pathname);
    }
  });
  for (const sitePage of pages.filter((candidate) => candidate.diagrams > 0)) {
    await page.goto(siteUrl(sitePage.path));
    await page.locator(DIAGRAM_BOX).last().scrollIntoViewIfNeeded();
    await page.waitForLoadState('networkidle');
  }
  expect(scripts.size, 'scripts were loaded').toBeGreaterThan(0);
  const mermaid = [...scripts].filter((script) =>
    readFileSync(path.join('build', script.slice(resolveSite().baseUrl.length)), 'utf8').includes('mermaidAPI'),
  );
  expect(mermaid, 'scripts that contain Mermaid').toEqual([]);
});

/** Console errors and uncaught exceptions of the page, collected from now on. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      errors.push(`console: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => errors.push(`exception: ${error.message}`));
  return errors;
}

/** A diagram's box, drawn at build time or left for the page to draw, and the root of a drawing Mermaid made. */
const DIAGRAM_BOX = '[data-drawn-size], [data-estimated-size]';
const DRAWING = 'svg[aria-roledescription]';

/**
 * Scrolls to each diagram (a diagram that the build could not draw loads only near the viewport), and checks that
 * the drawing for the page's colour mode is shown, with nodes, in the box reserved for it, and that the box was about
 * the size the diagram needs (so the page did not reserve a box much too small, shrinking the diagram, or much too
 * large).
 */
async function expectDiagramsDrawn(page: Page, sitePage: SitePage, mode: 'light' | 'dark') {
  const boxes = page.locator(DIAGRAM_BOX);
  await expect(boxes, `${sitePage.source} has ${sitePage.diagrams} mermaid diagrams`).toHaveCount(sitePage.diagrams);
  for (let index = 0; index < sitePage.diagrams; index += 1) {
    const box = boxes.nth(index);
    await box.scrollIntoViewIfNeeded();
    const svg = box.locator(DRAWING).filter({visible: true});
    await expect(svg, `diagram ${index + 1} of ${sitePage.source} is drawn`).toBeVisible();
    if ((await box.getAttribute('data-drawn-size')) !== null) {
      await expect(svg, `diagram ${index + 1} of ${sitePage.source} shows its ${mode} drawing`).toHaveAttribute(
        'id',
        new RegExp(`-${mode}$`),
      );
    }
    const nodes = svg.locator('g.node, rect.actor, g.stateGroup, g.state');
    expect(await nodes.count(), `diagram ${index + 1} of ${sitePage.source} has nodes`).toBeGreaterThan(0);
    const fit = await box.evaluate((element) => {
      const drawing = element.querySelector('svg')!.viewBox.baseVal;
      const column = element.parentElement!.getBoundingClientRect().width;
      const reserved = element.getBoundingClientRect();
      const width = Math.min(drawing.width, column);
      const height = (width * drawing.height) / drawing.width;
      return {
        natural: `${Math.round(drawing.width)}x${Math.round(drawing.height)}`,
        estimated: element.getAttribute('data-estimated-size') ?? element.getAttribute('data-drawn-size'),
        widthRatio: reserved.width / width,
        heightRatio: reserved.height / height,
      };
    });
    const fits = [fit.widthRatio, fit.heightRatio].every((ratio) => ratio > 0.75 && ratio < 1.34);
    expect(
      fits,
      `diagram ${index + 1} of ${sitePage.source} was drawn ${fit.natural} but its placeholder was estimated ` +
        `${fit.estimated}: add the line \`%% size: ${fit.natural}\` to the diagram`,
    ).toBe(true);
  }
}
