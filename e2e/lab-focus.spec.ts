/**
 * The lab panel's focus mode, driven as a learner drives it: the lab fills the window with the steps beside the
 * terminal, Escape leaves it, a reload keeps it, the keyboard reaches it, and the terminal (and the shell in it)
 * takes the new size. On a phone-sized window the work area and the steps stack. The lab runs through the local
 * runner, as in lab.spec.ts (support/runner.ts).
 */
import {expect, test, type Locator, type Page} from '@playwright/test';
import {expectAccessible} from './support/accessibility';
import {terminal} from './support/lab';
import {startRunner, type TestRunner} from './support/runner';

const CHAPTER = '/load-balancer';

let runner: TestRunner;

test.beforeAll(async () => {
  runner = await startRunner();
});

test.afterAll(async () => {
  await runner?.stop();
});

test('focus mode puts the steps beside the terminal, leaves on Escape, and is kept across a reload', async ({page}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({width: 1440, height: 900});
  const lab = page.getByRole('region', {name: /^Lab:/});
  await startLab(page, lab);
  const toggle = lab.getByRole('button', {name: 'Focus mode', exact: true});
  const before = await terminalSize(page);

  await test.step('the keyboard reaches the toggle, after the toolbar\'s other buttons', async () => {
    await lab.getByRole('button', {name: 'Download files'}).focus();
    await page.keyboard.press('Tab');
    await expect(toggle).toBeFocused();
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  });

  await test.step('the button fills the window with the lab, the steps in a column left of the terminal', async () => {
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(lab.getByRole('heading', {name: 'Lab: Balance two web servers', level: 2}).last()).toBeFocused();
    await expectFillsTheWindow(page);
    const steps = await box(lab.getByRole('list', {name: 'Lab steps'}));
    const screen = await box(terminal(page));
    expect(steps.x + steps.width, 'the steps end where the terminal begins').toBeLessThanOrEqual(screen.x);
    expect(steps.y, 'the steps start beside the terminal, not below it').toBeLessThan(screen.y + screen.height);
    expect(steps.width / 1440, 'the steps take about a third of the window').toBeGreaterThan(0.25);
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).overflow), 'the page behind does not scroll').toBe('hidden');
    expect(await navbarIsInert(page), 'the navbar behind is out of the keyboard\'s reach').toBe(true);
  });

  await test.step('the terminal refits, and the shell in it is told the new size', async () => {
    await expect.poll(() => terminalSize(page), {timeout: 15_000}).not.toEqual(before);
    const after = await terminalSize(page);
    expect(after.rows, 'a taller terminal: the window\'s height less the toolbar and the servers').toBeGreaterThan(before.rows);
  });

  await test.step('focus mode is accessible, in light and in dark mode', async () => {
    await expectAccessible(page, 'the lab in focus mode (light)', 'section[aria-label^="Lab:"]');
    await page.emulateMedia({colorScheme: 'dark'});
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expectAccessible(page, 'the lab in focus mode (dark)', 'section[aria-label^="Lab:"]');
    await page.emulateMedia({colorScheme: 'light'});
  });

  await test.step('Escape in the terminal is the shell\'s; elsewhere it leaves focus mode, and the focus returns to the toggle', async () => {
    await page.getByRole('textbox', {name: /^Lab terminal/}).focus();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Backspace'); // a shell's line editor reads Escape as the start of a key; end it
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await lab.getByRole('heading', {name: 'Share the traffic'}).click();
    await page.keyboard.press('Escape');
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await expect(toggle).toBeFocused();
    expect(await panelIsFixed(page)).toBe(false);
    expect(await navbarIsInert(page)).toBe(false);
  });

  await test.step('entered again, focus mode is still on after a reload', async () => {
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await page.reload();
    await startLab(page, lab);
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expectFillsTheWindow(page);
  });
});

test('on a narrow window, focus mode stacks the work area above the steps', async ({page}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({width: 390, height: 844});
  const lab = page.getByRole('region', {name: /^Lab:/});
  await startLab(page, lab);
  await lab.getByRole('button', {name: 'Focus mode', exact: true}).click();
  await expectFillsTheWindow(page);
  const screen = await box(terminal(page));
  const steps = await box(lab.getByRole('list', {name: 'Lab steps'}));
  expect(screen.y + screen.height, 'the steps come below the terminal').toBeLessThanOrEqual(steps.y);
  expect(steps.width, 'the steps take the whole width').toBeGreaterThan(300);
  // The steps are reached by scrolling the panel, not the page behind it.
  await lab.getByRole('button', {name: 'Check step 1'}).scrollIntoViewIfNeeded();
  await expect(lab.getByRole('button', {name: 'Check step 1'})).toBeInViewport();
  await expectFillsTheWindow(page);
});

async function startLab(page: Page, lab: Locator): Promise<void> {
  await page.goto(runner.link(CHAPTER));
  await lab.getByRole('button', {name: 'Start lab'}).click();
  await expect(lab.getByRole('status').first()).toHaveText(/running on your machine/, {timeout: 60_000});
  await expect(terminal(page)).toContainText(/is up: 3 servers/);
}

/** The panel covers the viewport: fixed, from corner to corner. */
async function expectFillsTheWindow(page: Page): Promise<void> {
  expect(await panelIsFixed(page), 'the panel is fixed over the page').toBe(true);
  const viewport = page.viewportSize()!;
  const panel = await box(panelOf(page));
  expect(panel).toEqual({x: 0, y: 0, width: viewport.width, height: viewport.height});
}

async function navbarIsInert(page: Page): Promise<boolean> {
  return page.locator('nav.navbar').evaluate((navbar) => navbar.closest('[inert]') !== null);
}

function panelOf(page: Page): Locator {
  return page.locator('section[aria-label^="Lab:"] > div').filter({has: page.getByRole('status')}).first();
}

async function panelIsFixed(page: Page): Promise<boolean> {
  return panelOf(page).evaluate((element) => getComputedStyle(element).position === 'fixed');
}

async function box(locator: Locator): Promise<{x: number; y: number; width: number; height: number}> {
  const found = await locator.boundingBox();
  if (!found) throw new Error(`${locator} is not visible`);
  return found;
}

/** The size the shell's terminal has, as `stty` reads it: what the page told the process, not what it drew. */
async function terminalSize(page: Page): Promise<{rows: number; cols: number}> {
  const marker = `size${Math.floor(Math.random() * 1e6)}`;
  await page.getByRole('textbox', {name: /^Lab terminal/}).focus();
  await page.keyboard.type(`echo ${marker}=$(stty size)\n`, {delay: 5});
  const pattern = new RegExp(`${marker}=(\\d+) (\\d+)`);
  await expect(terminal(page)).toContainText(pattern);
  const [, rows, cols] = pattern.exec(await terminal(page).innerText())!;
  return {rows: Number(rows), cols: Number(cols)};
}
