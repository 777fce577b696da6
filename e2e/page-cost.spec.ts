/**
 * What a chapter asks of the reader's browser once it has loaded, on a phone's width: work that a reader never sees
 * must not be done. Each test names the work it rules out; each failed before the change it guards.
 */
import {expect, test, type Page} from '@playwright/test';
import {builtHtmlOf, sidebarPages, siteUrl} from './support/pages';

/** The page with the most code blocks: they are wider than a phone, so each finds that it scrolls. */
const chapter = (() => {
  const codeBlocks = (path: string) => builtHtmlOf(path).split('theme-code-block').length - 1;
  return sidebarPages().reduce((most, candidate) => (codeBlocks(candidate.path) > codeBlocks(most.path) ? candidate : most));
})();

test.use({viewport: {width: 390, height: 844}});

test('a code block is tokenised once: finding that it scrolls renders none of its lines again', async ({page}) => {
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
});

test('a code block far below reserves about the height it will have', async ({page}) => {
  await page.goto(siteUrl(chapter.path));
  const blocks = page.locator('article .theme-code-block');
  const count = await blocks.count();
  expect(count, `${chapter.source} has code blocks`).toBeGreaterThan(0);
  for (let index = 0; index < count; index += 1) {
    // The element that carries the estimate is the block's parent; laid out, it is as tall as the block.
    const holder = blocks.nth(index).locator('xpath=..');
    const reserved = await holder.evaluate((element) => {
      const [, em] = /auto ([\d.]+)em/.exec(element.style.getPropertyValue('contain-intrinsic-block-size')) ?? [];
      return Number(em) * parseFloat(getComputedStyle(element).fontSize);
    });
    await holder.scrollIntoViewIfNeeded();
    const height = await holder.evaluate((element) => element.getBoundingClientRect().height);
    expect(reserved / height, `code block ${index + 1}: reserved ${Math.round(reserved)} px, laid out ${Math.round(height)} px`).toBeGreaterThan(0.8);
    expect(reserved / height, `code block ${index + 1}: reserved ${Math.round(reserved)} px, laid out ${Math.round(height)} px`).toBeLessThan(1.25);
  }
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
