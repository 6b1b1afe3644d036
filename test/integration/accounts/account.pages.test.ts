import type { Page } from 'playwright-core';
import { totpCodeAt } from '../../../src/accounts/totp';
import { createTestAccount } from '../../support/accounts';
import { expectAccessiblePage, newTestPage, useBrowserTest } from '../../support/browser';
import { measureReflow } from '../../e2e/shared/measureReflow';

// The account pages as a person uses them, in Chromium at 320 CSS px (WCAG 2.2 SC 1.4.10) with axe (WCAG 2.2
// AA): the account page, turning on two-step sign-in with a wrong and then a right code, the recovery codes.

const { rounds, browser } = useBrowserTest();

async function signedInPage(email: string, password: string): Promise<Page> {
  const page = await newTestPage(browser);
  await page.setViewportSize({ width: 320, height: 800 });
  await page.goto(`${rounds.url}/signin`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${rounds.url}/account`);
  return page;
}

async function expectReflows(page: Page) {
  const reflow = await page.evaluate(measureReflow);
  expect(reflow).toMatchObject({ overflow: 0, wider: [], squeezed: [] });
}

describe('an operator turns on two-step sign-in', () => {
  it('when she follows the account page to enrolment, mistypes a code, then types the right one, then every page is accessible at 320 px', async () => {
    const account = await createTestAccount(rounds, { roles: ['operator'] });
    const page = await signedInPage(account.email, account.password);
    await expectAccessiblePage(page, 'account');
    await expectReflows(page);

    await page.getByRole('link', { name: 'Turn on two-step sign-in' }).click();
    await page.waitForURL(`${rounds.url}/account/totp`);
    expect(await page.getByRole('img', { name: /QR code that adds your Rounds account/ }).count()).toBe(1);
    await expectAccessiblePage(page, 'account-totp');
    await expectReflows(page);
    const secret = (await page.locator('.totp-secret code').textContent())!.replace(/\s+/g, '');

    await page.getByLabel('6-digit code').fill('12345');
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByRole('link', { name: /Enter the 6 digits|That code is not right/ }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('totp-code');
    await expectAccessiblePage(page, 'account-totp-error');

    await page.getByLabel('6-digit code').fill(totpCodeAt(secret, Date.now()));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Your recovery codes' }).waitFor();
    expect(await page.locator('.recovery-codes li').count()).toBe(10);
    await expectAccessiblePage(page, 'account-recovery-codes');
    await expectReflows(page);

    await page.getByRole('link', { name: 'I have saved my codes' }).click();
    await page.waitForURL(`${rounds.url}/account`);
    expect(await page.getByText('10 of 10 unused').count()).toBe(1);
    await expectAccessiblePage(page, 'account-totp-on');
  });
});
