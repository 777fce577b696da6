/** The accessibility bar of the end-to-end tests: no serious or critical axe-core violation. */
import AxeBuilder from '@axe-core/playwright';
import {expect, type Page} from '@playwright/test';

/**
 * Scans the page (or only the part `within` selects) and records, as a soft failure, every serious or critical
 * violation with the elements at fault.
 */
export async function expectAccessible(page: Page, what: string, within?: string): Promise<void> {
  const builder = new AxeBuilder({page});
  const results = await (within ? builder.include(within) : builder).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect.soft(serious, `serious or critical accessibility violations in ${what}`).toEqual([]);
}
