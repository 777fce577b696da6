/**
 * The load-balancer chapter's lab, driven as a learner drives it: start the lab, type in its terminal, kill a server
 * from the topology, edit the balancer's configuration, pass a step's check, and come back to find the work kept.
 * The lab runs through the local runner (StackBlitz's WebContainer service cannot be reached from here); the runner
 * is the same backend a learner without WebContainers uses, and everything above the backend is the same code.
 */
import {expect, test} from '@playwright/test';
import {expectAccessible} from './support/accessibility';
import {siteUrl} from './support/pages';
import {checkOf, server, terminal, typeInTerminal} from './support/lab';
import {startRunner, type TestRunner} from './support/runner';

const CHAPTER = '/load-balancer';

let runner: TestRunner;

test.beforeAll(async () => {
  runner = await startRunner();
});

test.afterAll(async () => {
  await runner?.stop();
});

test('a learner runs the load-balancer lab on their machine, passes a step, and finds their work after a reload', async ({page}) => {
  test.setTimeout(180_000);
  const lab = page.getByRole('region', {name: /^Lab:/});

  await test.step('start the lab with the link the runner printed', async () => {
    await page.goto(runner.link(CHAPTER));
    await lab.getByRole('button', {name: 'Start lab'}).click();
    await expect(lab.getByRole('status').first()).toHaveText(/running on your machine/, {timeout: 60_000});
    await expect(terminal(page)).toContainText(/is up: 3 servers/);
    expect(new URL(page.url()).hash, 'the token leaves the address bar').toBe('');
  });

  await test.step('the running lab panel is accessible, in light and in dark mode', async () => {
    await expectAccessible(page, 'the running lab panel (light)', 'section[aria-label^="Lab:"]');
    await page.emulateMedia({colorScheme: 'dark'});
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expectAccessible(page, 'the running lab panel (dark)', 'section[aria-label^="Lab:"]');
    await page.emulateMedia({colorScheme: 'light'});
  });

  await test.step('type `lab status` and read the servers in the terminal', async () => {
    await typeInTerminal(page, 'lab status');
    await expect(terminal(page)).toContainText(/lab status.*web-02\s+web\s+up/);
  });

  await test.step('edit haproxy.cfg in the editor, save, and pass the first step', async () => {
    await lab.getByRole('tab', {name: 'Files'}).click();
    await lab.getByLabel('File', {exact: true}).selectOption('lb-01/haproxy.cfg');
    const editor = lab.getByRole('textbox', {name: 'Editor for lb-01/haproxy.cfg'});
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('    balance roundrobin');
    await page.keyboard.press('Enter');
    await page.keyboard.type('server web-02 10.0.0.22:80');
    await page.keyboard.press('Enter');
    await expect(lab.getByText('Unsaved changes')).toBeVisible();
    await lab.getByRole('button', {name: 'Save and restart haproxy'}).click();
    await expect(lab.getByText('lab restart lb-01 haproxy')).toBeVisible();
    await expect(lab.getByText('Unsaved changes')).toBeHidden();

    await lab.getByRole('button', {name: 'Check step 1'}).click();
    await expect(checkOf(lab, 1)).toContainText(': passed', {timeout: 30_000});
    await expect(lab.getByRole('heading', {name: /Share the traffic \(done\)/})).toBeVisible();
  });

  await test.step('send traffic, kill web-02 from the topology, and watch its share go to zero', async () => {
    await lab.getByRole('tab', {name: 'Terminal'}).click();
    await typeInTerminal(page, 'lab load -n 40');
    await expect(server(lab, 'web-02')).toHaveAccessibleName(/web-02\W+up\W+[1-9]\d*% of recent requests/, {timeout: 15_000});

    await server(lab, 'web-02').click();
    await lab.getByRole('button', {name: 'Kill web-02'}).click();
    await expect(server(lab, 'web-02')).toHaveAccessibleName(/web-02\W+down/);

    // The balancer has no health check yet (that is step 2): the requests it still sends to web-02 fail, and
    // web-02 serves none of them. Its share of the recent traffic falls to zero while web-01 takes the rest.
    await typeInTerminal(page, 'lab load -n 40 -d 8');
    await expect(server(lab, 'web-02')).toHaveAccessibleName(/web-02\W+down\W+0% of recent requests/, {timeout: 20_000});
    await expect(server(lab, 'web-01')).toHaveAccessibleName(/web-01\W+up\W+100% of recent requests/);
  });

  await test.step('reload the page: progress and edits are restored', async () => {
    await page.reload();
    await lab.getByRole('button', {name: 'Start lab'}).click();
    await expect(lab.getByRole('status').first()).toHaveText(/running on your machine/, {timeout: 60_000});
    await expect(lab.getByRole('heading', {name: /Share the traffic \(done\)/})).toBeVisible();
    await lab.getByRole('tab', {name: 'Files'}).click();
    await lab.getByLabel('File', {exact: true}).selectOption('lb-01/haproxy.cfg');
    await expect(lab.getByRole('textbox', {name: 'Editor for lb-01/haproxy.cfg'})).toContainText('server web-02 10.0.0.22:80');
  });
});

test('a wrong token is refused, and the page says what to do', async ({page}) => {
  await page.goto(`${siteUrl(CHAPTER)}#runner=${runner.port}&token=not-the-token-0123456789`);
  const lab = page.getByRole('region', {name: /^Lab:/});
  await lab.getByRole('button', {name: 'Start lab'}).click();
  await expect(lab.getByRole('status').first()).toHaveText(/token/i, {timeout: 20_000});
  await expect(lab.getByRole('form', {name: 'Run the lab on your machine'})).toBeVisible();
});

test('with the network cut, the in-browser lab says so within the watchdog time, offers the local runner, and can keep waiting', async ({page}) => {
  test.setTimeout(60_000);
  // Only the site itself answers; StackBlitz's service, which WebContainer.boot() needs, does not.
  const site = new URL(siteUrl()).host;
  await page.route((url) => url.host !== site, (route) => route.abort('internetdisconnected'));
  await page.goto(siteUrl(CHAPTER));
  const lab = page.getByRole('region', {name: /^Lab:/});
  const clicked = Date.now();
  await lab.getByRole('button', {name: 'Start lab'}).click();
  await expect(lab.getByRole('form', {name: 'Run the lab on your machine'})).toBeVisible({timeout: 20_000});
  expect(Date.now() - clicked, 'the message comes within the 15 s watchdog').toBeLessThan(20_000);
  await expect(lab.getByRole('status').first()).toHaveText(/could not start in your browser|has not started in your browser/);
  await expect(lab.getByRole('status').first()).toHaveText(/your own machine/);
  await lab.getByRole('button', {name: 'Keep waiting'}).click();
  await expect(lab.getByRole('status').first()).toHaveText(/Still starting the lab’s machine/);
  await expect(lab.getByRole('button', {name: 'Keep waiting'})).toBeHidden();
});
