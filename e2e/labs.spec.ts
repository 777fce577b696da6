/**
 * Every chapter's lab, started as a learner starts it and its first step passed as a learner passes it: through the
 * local runner (under the WebContainer's limits, see support/runner.ts), by typing in the terminal, and by editing
 * the step's files in the editor, typed in as the solution has them, saved (which restarts their service), then the
 * step's check. The labs come from the sidebar's chapters that embed one; lab 02 has its own, longer test
 * (lab.spec.ts). Lab 05 also has the learner kill the virtual IP's holder from the topology and watch the other
 * balancer take the address.
 */
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {expect, test, type Locator} from '@playwright/test';
import {sidebarPages, siteUrl} from './support/pages';
import {checkOf, server, terminal, typeInTerminal} from './support/lab';
import {startRunner, type TestRunner} from './support/runner';

interface LabUnderTest {
  id: string;
  chapter: string;
  title: string;
  servers: string[];
  /** The files the solution changes, in the order of the manifest's editable list, with the service each restarts. */
  edits: {file: string; service: string; solution: string}[];
}

/** The chapters' labs (docs/NN-slug.mdx); the instructors' guide shows `<Lab id>` too, as an example. */
const LABS: LabUnderTest[] = sidebarPages().filter((page) => /^docs\/\d\d-/.test(page.source)).flatMap((page) => {
  const id = /<Lab\s+id="([^"]+)"/.exec(readFileSync(page.source, 'utf8'))?.[1];
  if (!id || id === '02-load-balancer') return [];
  const manifest = JSON.parse(readFileSync(path.join('labs', id, 'lab.json'), 'utf8'));
  const edits = (manifest.editable as {file: string; service: string}[])
    .filter(({file}) => existsSync(path.join('labs', id, 'solution', file)))
    .map(({file, service}) => {
      const solution = readFileSync(path.join('labs', id, 'solution', file), 'utf8');
      return {file, service, solution};
    })
    .filter(({file, solution}) => solution !== readFileSync(path.join('labs', id, 'files', file), 'utf8'));
  return [{id, chapter: page.path, title: manifest.steps[0].title, servers: manifest.topology.servers.map((s: {name: string}) => s.name), edits}];
});

let runner: TestRunner;

test.beforeAll(async () => {
  runner = await startRunner();
});

test.afterAll(async () => {
  await runner?.stop();
});

test('every chapter from 1 to 6 embeds a lab', () => {
  expect(LABS.map((lab) => lab.id.slice(0, 2)).sort()).toEqual(['01', '03', '04', '05', '06']);
});

test('a lab gets ready as the learner comes to it: nothing at first, its files in view, its panel when pointed at', async ({page}) => {
  const largest = LABS.find((lab) => lab.id.startsWith('06'))!;
  const files = new RegExp(`/assets/labs/${largest.id}\\.\\w+\\.json$`);
  const requested: string[] = [];
  /** Scripts that hold xterm.js, the panel's heavy part, by their text. */
  const panelScripts: string[] = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  page.on('response', async (response) => {
    // A body that can no longer be read (the test is over) is not the panel's.
    if (response.request().resourceType() === 'script' && (await response.text().catch(() => '')).includes('xterm-helper-textarea')) panelScripts.push(response.url());
  });
  await page.goto(siteUrl(largest.chapter), {waitUntil: 'networkidle'});
  expect(requested.filter((path) => files.test(path)), 'the lab is far below: nothing of it yet').toEqual([]);
  expect(panelScripts).toEqual([]);

  const start = page.getByRole('region', {name: /^Lab:/}).getByRole('button', {name: 'Start lab'});
  await start.evaluate((button) => button.scrollIntoView({block: 'center'}));
  await expect.poll(() => requested.filter((path) => files.test(path)).length, {message: 'the lab\'s files, once in view'}).toBe(1);
  await page.waitForLoadState('networkidle');
  expect(panelScripts, 'the panel waits for the learner to point at the button').toEqual([]);

  await start.hover();
  await expect.poll(() => panelScripts.length, {message: 'the panel\'s code, once pointed at'}).toBeGreaterThan(0);
});

for (const labUnderTest of LABS) {
  test(`${labUnderTest.id}: a learner starts it, types in its terminal and passes step 1, "${labUnderTest.title}"`, async ({page}) => {
    test.setTimeout(180_000);
    const lab = page.getByRole('region', {name: /^Lab:/});

    await test.step('start the lab with the runner\'s link: every server comes up', async () => {
      await page.goto(runner.link(labUnderTest.chapter));
      await lab.getByRole('button', {name: 'Start lab'}).click();
      await expect(lab.getByRole('status').first()).toHaveText(/running on your machine/, {timeout: 60_000});
      await expect(terminal(page)).toContainText(new RegExp(`is up: ${labUnderTest.servers.length} servers? in`));
    });

    await test.step('type `lab ps` in the terminal and read every server', async () => {
      await typeInTerminal(page, 'lab ps');
      for (const name of labUnderTest.servers) await expect(terminal(page)).toContainText(name);
    });

    await test.step('the first check fails on the starter files', async () => {
      await lab.getByRole('button', {name: 'Check step 1'}).click();
      await expect(checkOf(lab, 1)).toContainText(': failed', {timeout: 60_000});
    });

    await test.step('edit the files in the editor as the solution has them, and save each', async () => {
      await lab.getByRole('tab', {name: 'Files'}).click();
      for (const edit of labUnderTest.edits) {
        await lab.getByLabel('File', {exact: true}).selectOption(edit.file);
        const editor = lab.getByRole('textbox', {name: `Editor for ${edit.file}`});
        await editor.click();
        await page.keyboard.press('Control+A');
        await page.keyboard.insertText(edit.solution);
        await expect(lab.getByText('Unsaved changes')).toBeVisible();
        await lab.getByRole('button', {name: `Save and restart ${edit.service}`}).click();
        await expect(lab.getByText('Unsaved changes')).toBeHidden({timeout: 30_000});
      }
    });

    await test.step('run the check of step 1: it passes', async () => {
      await lab.getByRole('button', {name: 'Check step 1'}).click();
      await expect(checkOf(lab, 1)).toContainText(': passed', {timeout: 90_000});
    });

    if (labUnderTest.id.startsWith('05')) {
      await test.step('kill the virtual IP\'s holder from the topology: the other balancer takes the address', async () => {
        const holder = await vipHolder(lab);
        const other = holder === 'lb-01' ? 'lb-02' : 'lb-01';
        await server(lab, holder).click();
        await lab.getByRole('button', {name: `Kill ${holder}`}).click();
        await expect(server(lab, holder)).toHaveAccessibleName(new RegExp(`^${holder}\\W+down`));
        await expect(lab.getByText(new RegExp(`Virtual IP \\S+ held by ${other}`))).toBeVisible({timeout: 15_000});
      });

      await test.step('"Run it for real" saves the lab, with the files as the learner left them, for the real programs', async () => {
        const saving = page.waitForEvent('download');
        await lab.getByRole('button', {name: 'Run it for real'}).click();
        const download = await saving;
        expect(download.suggestedFilename()).toBe(`${labUnderTest.id}-real-stack.tar`);
        const files = tarFiles(readFileSync(await download.path()));
        const folder = `${labUnderTest.id}-real-stack`;
        for (const file of ['compose.yaml', 'run-netns.sh', 'README.md']) expect([...files.keys()]).toContain(`${folder}/${file}`);
        for (const edit of labUnderTest.edits) {
          const exported = [...files].find(([name]) => name.startsWith(`${folder}/`) && name.endsWith(`/${edit.file}`));
          expect(exported?.[1], `${edit.file} in the archive`).toBe(edit.solution);
        }
        await expect(lab.getByRole('status').filter({hasText: /Saved .*-real-stack\.tar/})).toBeVisible();
      });
    }
  });
}

/** The files of a tar archive (ustar, as the page writes it), by path. */
function tarFiles(archive: Buffer): Map<string, string> {
  const files = new Map<string, string>();
  for (let offset = 0; offset + 512 <= archive.length;) {
    const header = archive.subarray(offset, offset + 512);
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    if (!name) break;
    const prefix = header.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    files.set(prefix ? `${prefix}/${name}` : name, archive.subarray(offset + 512, offset + 512 + size).toString('utf8'));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** The server the topology names as the virtual IP's holder. */
async function vipHolder(lab: Locator): Promise<string> {
  const line = lab.getByText(/Virtual IP \S+ held by lb-0[12]/).first();
  await expect(line).toBeVisible({timeout: 15_000});
  return /held by (lb-0[12])/.exec((await line.textContent()) ?? '')?.[1] ?? '';
}
