import type { Page } from 'playwright-core';
import { createAccount } from '../../../src/accounts/accounts.service';
import { totpCodeAt } from '../../../src/accounts/totp';
import { measureReflow } from '../../e2e/shared/measureReflow';
import { createTestAccount } from '../../support/accounts';
import { expectAccessiblePage, newTestPage, useBrowserTest } from '../../support/browser';

// The sign-in pages as a person uses them, in Chromium at 320 CSS px (WCAG 2.2 SC 1.4.10) with axe (WCAG 2.2
// AA): choosing a password from an invitation (a refused one first), signing in after a wrong password, the code.

const { rounds, browser } = useBrowserTest();

async function narrowPage(): Promise<Page> {
  const page = await newTestPage(browser);
  await page.setViewportSize({ width: 320, height: 800 });
  return page;
}

async function expectReflows(page: Page) {
  expect(await page.evaluate(measureReflow)).toMatchObject({ overflow: 0, wider: [], squeezed: [] });
}

it('when an invited operator chooses a password (a common one first), signs in (a wrong password first) and types her code, then every page is accessible at 320 px', async () => {
  const email = `pages-${Date.now()}@example.org`;
  const { token } = await createAccount({ email, role: 'mentor' }, { linkDays: 7, grantedBy: 'test' });
  const page = await narrowPage();

  await page.goto(`${rounds.url}/set-password/${token}`);
  await expectAccessiblePage(page, 'set-password');
  await expectReflows(page);
  await page.getByLabel('New password', { exact: true }).fill('passwordpassword');
  await page.getByLabel('New password again').fill('passwordpassword');
  await page.getByRole('button', { name: 'Set password' }).click();
  await page.getByRole('alert').waitFor();
  await page.getByRole('link', { name: 'This password is too common. Choose another one.' }).click();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('password');
  await expectAccessiblePage(page, 'set-password-error');
  await page.getByLabel('New password', { exact: true }).fill('slow rivers carve deep valleys');
  await page.getByLabel('New password again').fill('slow rivers carve deep valleys');
  await page.keyboard.press('Enter');
  // (A browser keeps the error link's #fragment across the redirect.)
  await page.waitForURL((url) => url.pathname === '/signin' && url.search === '?done=password-set');
  expect(await page.getByRole('status').textContent()).toContain('Your password is set.');
  await expectAccessiblePage(page, 'signin');
  await expectReflows(page);

  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('not my password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').waitFor();
  expect(await page.getByLabel('E-mail address').inputValue()).toBe(email);
  await expectAccessiblePage(page, 'signin-error');
  await expectReflows(page);

  const operator = await createTestAccount(rounds, { roles: ['operator'], totp: true });
  await page.getByLabel('E-mail address').fill(operator.email);
  await page.getByLabel('Password', { exact: true }).fill(operator.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/signin/code');
  await expectAccessiblePage(page, 'signin-code');
  await expectReflows(page);
  await page.getByLabel('Code', { exact: true }).fill('000000');
  await page.keyboard.press('Enter');
  await page.getByRole('alert').waitFor();
  await expectAccessiblePage(page, 'signin-code-error');
  await page.getByLabel('Code', { exact: true }).fill(totpCodeAt(operator.totpSecret!, Date.now() + 30_000));
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname === '/account');
});
