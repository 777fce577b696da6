/** How the end-to-end tests find their way around a running lab panel: as a person does, by role and label. */
import {type Locator, type Page} from '@playwright/test';

/** The rows of the lab's terminal, as xterm.js draws them. */
export function terminal(page: Page): Locator {
  return page.locator('.xterm-rows');
}

/** Types a command into the lab's terminal and presses Enter. */
export async function typeInTerminal(page: Page, line: string): Promise<void> {
  await page.getByRole('textbox', {name: /^Lab terminal/}).focus();
  await page.keyboard.type(`${line}\n`, {delay: 10});
}

/** A server's card in the topology (a button whose name starts with the server's). */
export function server(lab: Locator, name: string): Locator {
  return lab.getByRole('button', {name: new RegExp(`^${name}\\W`)});
}

/** The first check of a step, with its status. */
export function checkOf(lab: Locator, step: number): Locator {
  return lab.getByRole('list', {name: `Checks for step ${step}`}).getByRole('listitem').first();
}
