/**
 * Every page of the sidebar, opened in Chromium from the production build as a learner would see it: it renders
 * without console errors, is cross-origin isolated, links "Edit this page" to the fork's repository, draws every
 * Mermaid diagram, and has no serious or critical accessibility violations, in light and in dark mode.
 * Then search, and the colour-mode toggle.
 */
import {expect, test, type Page} from '@playwright/test';
import {resolveSite} from '../site.config.mjs';
import {expectAccessible} from './support/accessibility';
import {sidebarPages, siteUrl, type SitePage} from './support/pages';

const pages = sidebarPages();

test('the sidebar has pages to test, and at least one has a diagram', () => {
  expect(pages.length).toBeGreaterThan(1);
  expect(pages.some((page) => page.diagrams > 0)).toBe(true);
});

for (const sitePage of pages) {
  test(`${sitePage.path} (${sitePage.source})`, async ({page}) => {
    const errors = collectErrors(page);
    await page.goto(siteUrl(sitePage.path));
    await expect(page.locator('article h1').first()).toBeVisible();
    expect(await page.evaluate(() => window.crossOriginIsolated), 'crossOriginIsolated').toBe(true);
    await expect(page.getByRole('link', {name: 'Edit this page'})).toHaveAttribute(
      'href',
      `${resolveSite().editUrl}${sitePage.source}`,
    );

    await expectDiagramsDrawn(page, sitePage);
    await expectAccessible(page, 'light mode');

    await page.emulateMedia({colorScheme: 'dark'});
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expectDiagramsDrawn(page, sitePage);
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

test('the colour-mode toggle switches to dark, redraws the diagrams, and is remembered', async ({page}) => {
  const chapter = pages.find((candidate) => candidate.diagrams > 0)!;
  await page.goto(siteUrl(chapter.path));
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'light');
  const diagram = page.locator('.docusaurus-mermaid-container svg').first();
  await page.locator('[data-estimated-size]').first().scrollIntoViewIfNeeded();
  await expect(diagram).toBeVisible();
  const lightDrawing = await diagram.innerHTML();

  // The toggle cycles through the modes (system, light, dark); a person clicks until the page is dark.
  const toggle = page.getByRole('button', {name: /dark and light mode/});
  for (let clicks = 0; clicks < 3 && (await html.getAttribute('data-theme')) !== 'dark'; clicks += 1) {
    await toggle.click();
  }
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => diagram.innerHTML(), {message: 'the diagram is redrawn in the dark theme'}).not.toBe(lightDrawing);

  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
});

test('a diagram far below is drawn only when scrolled near, into a placeholder of the same size', async ({page}) => {
  const chapter = pages.find((candidate) => candidate.diagrams > 1) ?? pages.find((candidate) => candidate.diagrams > 0)!;
  await page.goto(siteUrl(chapter.path));
  await page.waitForLoadState('networkidle');
  const boxes = page.locator('[data-estimated-size]');
  const far = boxes.last();
  const top = await far.evaluate((element) => element.getBoundingClientRect().top - window.innerHeight);
  expect(top, `the last diagram of ${chapter.source} is more than a screen and a half below the first one`).toBeGreaterThan(1000);
  await expect(far.locator('svg')).toHaveCount(0);
  await expect(far.locator('.mermaid-placeholder')).toBeVisible();
  const placeholder = await far.boundingBox();

  await far.scrollIntoViewIfNeeded();
  await expect(far.locator('.docusaurus-mermaid-container > svg')).toBeVisible();
  await expect(far.locator('.mermaid-placeholder')).toBeHidden();
  const drawn = await far.boundingBox();
  expect(Math.abs(drawn!.width - placeholder!.width)).toBeLessThan(1);
  expect(Math.abs(drawn!.height - placeholder!.height)).toBeLessThan(1);
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

/**
 * Scrolls to each diagram (they load only near the viewport), and checks that Mermaid drew an SVG with nodes into
 * the box reserved for it, and that the box was about the size the diagram needs (so the page did not reserve a
 * box much too small, shrinking the diagram, or much too large).
 */
async function expectDiagramsDrawn(page: Page, sitePage: SitePage) {
  const boxes = page.locator('[data-estimated-size]');
  await expect(boxes, `${sitePage.source} has ${sitePage.diagrams} mermaid diagrams`).toHaveCount(sitePage.diagrams);
  for (let index = 0; index < sitePage.diagrams; index += 1) {
    const box = boxes.nth(index);
    await box.scrollIntoViewIfNeeded();
    const svg = box.locator('.docusaurus-mermaid-container > svg');
    await expect(svg, `diagram ${index + 1} of ${sitePage.source} is drawn`).toBeVisible();
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
        estimated: element.getAttribute('data-estimated-size'),
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
