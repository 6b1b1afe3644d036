import type { Page } from 'playwright-core';
import { totpCodeAt } from '../../../src/accounts/totp';
import { PlatformModel } from '../../../src/lti/registration/platform.model';
import { adminAgent } from '../../support';
import { createTestAccount } from '../../support/accounts';
import { expectAccessiblePage, newTestPage, useBrowserTest } from '../../support/browser';
import { measureReflow } from '../../e2e/shared/measureReflow';

// The operator's pages as an operator uses them, keyboard and mouse, in Chromium at 320 CSS px (WCAG 2.2 SC 1.4.10)
// with axe (WCAG 2.2 AA): the platforms list, adding a platform (with a mistake first), its page, the removal's
// confirmation, and the tenants page.

const { rounds, browser } = useBrowserTest();

async function signedInOperator(): Promise<Page> {
  const account = await createTestAccount(rounds, { roles: ['operator'], totp: true });
  const page = await newTestPage(browser);
  await page.setViewportSize({ width: 320, height: 800 });
  await page.goto(`${rounds.url}/signin`);
  await page.getByLabel('E-mail address').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${rounds.url}/signin/code`);
  // The enrolment spent this step's code: the next step's is within the ±1 step drift.
  await page
    .getByRole('textbox', { name: 'Code' })
    .fill(totpCodeAt(account.totpSecret!, Date.now() + 30_000));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((url) => url.pathname !== '/signin/code');
  return page;
}

async function expectReflows(page: Page) {
  const reflow = await page.evaluate(measureReflow);
  expect(reflow).toMatchObject({ overflow: 0, wider: [], squeezed: [] });
}

describe('an operator registers an LMS platform in the browser', () => {
  it('when she adds one with a mistake, corrects it, then reviews it, every page is accessible at 320 px', async () => {
    const page = await signedInOperator();
    await page.goto(`${rounds.url}/admin/platforms`);
    await page.getByRole('heading', { level: 1, name: 'LMS platforms' }).waitFor();
    await expectAccessiblePage(page, 'operator-platforms');
    await expectReflows(page);

    await page.getByRole('link', { name: 'Add an LMS platform' }).click();
    await page.waitForURL(`${rounds.url}/operator/platforms/new`);
    const { registration } = rounds.sandbox!;
    await page.getByLabel('Issuer (platform ID)').fill('moodle.example.org');
    await page.getByLabel('Client ID').fill('browser-client');
    await page.getByLabel('Deployment ID').fill('browser-1');
    await page.getByLabel('Authentication request URL').fill(registration.authUrl);
    await page.getByLabel('Access token URL').fill(registration.tokenUrl);
    await page.getByLabel('Public keyset URL').fill(registration.jwksUrl);
    await page.getByRole('button', { name: 'Add platform' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByLabel('Client ID').inputValue()).toBe('browser-client');
    await page.getByRole('link', { name: /Enter a full address/ }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('issuer');
    await expectAccessiblePage(page, 'operator-platform-new-error');
    await expectReflows(page);

    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(registration.issuer);
    await page.getByLabel('Name (optional)').fill('Browser Moodle');
    await page.getByLabel('Name (optional)').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Browser Moodle' }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain('registered and is active');
    expect(await PlatformModel.exists({ clientId: 'browser-client', active: true })).toBeTruthy();
    await expectAccessiblePage(page, 'operator-platform');
    await expectReflows(page);

    await page.getByRole('link', { name: 'Remove Browser Moodle…' }).click();
    await page.getByRole('heading', { level: 1, name: 'Remove Browser Moodle?' }).waitFor();
    await expectAccessiblePage(page, 'operator-platform-remove');
    await page.getByRole('link', { name: 'No, keep it' }).click();
    await page.getByRole('heading', { level: 1, name: 'Browser Moodle' }).waitFor();

    await adminAgent(rounds); // a tenant to list
    await page.goto(`${rounds.url}/operator/tenants`);
    await page.getByRole('heading', { level: 1, name: 'Tenants' }).waitFor();
    await expectAccessiblePage(page, 'operator-tenants');
    await expectReflows(page);
  });
});
