/**
 * What a chapter asks of the reader's browser once it has loaded: work that a reader never sees must not be done.
 * The first two tests name the work they rule out, and failed before the change each guards; the third checks that
 * the lines the first keeps from rendering again still take the colours of the mode.
 */
import {expect, test, type Page} from '@playwright/test';
import {builtHtmlOf, sidebarPages, siteUrl} from './support/pages';

/** The page with the most code blocks: they are wider than a phone, so each finds that it scrolls. */
const chapter = (() => {
  const codeBlocks = (path: string) => builtHtmlOf(path).split('theme-code-block').length - 1;
  return sidebarPages().reduce((most, candidate) => (codeBlocks(candidate.path) > codeBlocks(most.path) ? candidate : most));
})();

test('a code block is tokenised once: finding that it scrolls renders none of its lines again', async ({page}) => {
  // On a phone's width, where the blocks are wider than the page.
  await page.setViewportSize({width: 390, height: 844});
  await countLineRenders(page);
  await page.goto(siteUrl(chapter.path));
  await expect(page.locator('html')).toHaveAttribute('data-has-hydrated', 'true');
  // The copy buttons appear once the page runs in the browser, with the effects that measure each block.
  await expect(page.getByRole('button', {name: 'Copy code to clipboard'}).first()).toBeAttached();
  await page.waitForTimeout(500);
  const renders = await page.evaluate(() => (window as unknown as LineRenders).lineRenders);
  expect(renders.atHydration, `${chapter.source} has code lines`).toBeGreaterThan(0);
  expect(renders.later, 'code lines rendered again after hydration').toBe(0);
});

test('the search bar walks no page that has no marks, and still marks the words a search came for', async ({page}) => {
  await page.addInitScript(() => {
    // mark.js walks the article with a NodeIterator: count the walks of the article.
    const created = Document.prototype.createNodeIterator;
    const counted = window as unknown as {walks: number};
    counted.walks = 0;
    Document.prototype.createNodeIterator = function (root, ...rest) {
      if (root instanceof Element && root.closest('article')) {
        counted.walks += 1;
      }
      return created.call(this, root, ...rest);
    };
  });
  await page.goto(siteUrl(chapter.path));
  await expect(page.locator('html')).toHaveAttribute('data-has-hydrated', 'true');
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => (window as unknown as {walks: number}).walks), 'walks of an unmarked page').toBe(0);

  const word = 'balancer';
  await page.goto(`${siteUrl(chapter.path)}?_highlight=${word}`);
  const marks = page.locator('article mark[data-markjs]');
  await expect(marks.first()).toBeVisible();
  expect((await marks.first().textContent())?.toLowerCase()).toBe(word);

  // The same page reached by its link in the sidebar, without the search's words: the marks are cleared.
  await page.getByRole('navigation', {name: 'Docs sidebar'}).getByRole('link', {name: chapter.title, exact: true}).click();
  await expect.poll(() => new URL(page.url()).search, {message: 'the link leads to the page without the words'}).toBe('');
  await expect(marks).toHaveCount(0);
});

test("a code block's coloured lines change colour with the mode, though they are not rendered again", async ({page}) => {
  await page.goto(siteUrl(chapter.path));
  await expect(page.locator('html')).toHaveAttribute('data-has-hydrated', 'true');
  // A token the language colours (a keyword of a configuration file, a command of a shell).
  const token = page.locator('article .theme-code-block .token:not(.plain)').first();
  await token.scrollIntoViewIfNeeded();
  const colour = () => token.evaluate((element) => getComputedStyle(element).color);
  const light = await colour();
  const toggle = page.getByRole('button', {name: /dark and light mode/});
  for (let clicks = 0; clicks < 3 && (await page.locator('html').getAttribute('data-theme')) !== 'dark'; clicks += 1) {
    await toggle.click();
  }
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(colour, {message: 'the token takes the dark theme colour'}).not.toBe(light);
});

interface LineRenders {
  lineRenders: {atHydration: number; later: number};
}

/**
 * Counts, through React's developer-tools hook, the code lines rendered in the first commit (hydration) and in every
 * later one. A line is told by its props (the theme's CodeBlock/Line takes `line` and `getTokenProps`); it rendered in
 * a commit when it holds props it did not hold before (a component that is not rendered keeps its props object).
 */
async function countLineRenders(page: Page): Promise<void> {
  await page.addInitScript(() => {
    interface Fiber {
      child: Fiber | null;
      sibling: Fiber | null;
      memoizedProps: unknown;
    }
    const counts = {atHydration: 0, later: 0};
    (window as unknown as LineRenders).lineRenders = counts;
    const seen = new WeakSet<object>();
    let commits = 0;
    const isLine = (props: unknown): props is object =>
      typeof props === 'object' && props !== null && 'line' in props && 'getTokenProps' in props;
    const rendered = (fiber: Fiber | null): number => {
      let found = 0;
      for (let current = fiber; current !== null; current = current.sibling) {
        if (isLine(current.memoizedProps) && !seen.has(current.memoizedProps)) {
          seen.add(current.memoizedProps);
          found += 1;
        }
        found += rendered(current.child);
      }
      return found;
    };
    Object.defineProperty(window, '__REACT_DEVTOOLS_GLOBAL_HOOK__', {
      value: {
        supportsFiber: true,
        renderers: new Map(),
        inject: () => 1,
        checkDCE: () => undefined,
        onScheduleFiberRoot: () => undefined,
        onCommitFiberUnmount: () => undefined,
        onPostCommitFiberRoot: () => undefined,
        onCommitFiberRoot: (_renderer: number, root: {current: Fiber}) => {
          commits += 1;
          counts[commits === 1 ? 'atHydration' : 'later'] += rendered(root.current);
        },
      },
    });
  });
}
