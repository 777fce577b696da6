/** A chapter's knowledge check, answered as a reader would: a wrong answer explained, then the right one. */
import {expect, test} from '@playwright/test';
import {siteUrl} from './support/pages';

test('a knowledge check explains a wrong answer, then confirms the right one', async ({page}) => {
  await page.goto(siteUrl('/load-balancer'));
  const check = page.getByRole('form', {name: /^Knowledge check: A backend has inter 2s, fall 3/});
  const submit = check.getByRole('button', {name: 'Check my answer'});
  await expect(submit).toBeDisabled();

  await check.getByLabel('Not at all: HAProxy notices at once').check();
  await submit.click();
  await expect(check.getByRole('status')).toHaveText(/^Not quite\. .*failed check or a failed request/);

  await check.getByLabel('About 6 seconds (inter × fall)').check();
  await expect(check.getByRole('status')).toHaveText('');
  await submit.click();
  await expect(check.getByRole('status')).toHaveText(/^Not quite\. That is the case of a crashed program/);

  await check.getByLabel(/^About 12 seconds/).check();
  await submit.click();
  await expect(check.getByRole('status')).toHaveText(/^Right\. Without timeout check/);
});
