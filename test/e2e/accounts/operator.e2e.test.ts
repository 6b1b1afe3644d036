import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { totpCodeAt } from '../../../src/accounts/totp';
import { testDatabaseUri } from '../../support';
import { expectAccessiblePage, screenshots, useChromium } from '../../support/browser';
import { jvmTimeoutMs, runCli } from '../../support/processes';
import { useTestRounds } from '../../support/rounds';

// The first operator of an installation, as the README tells it: the CLI creates the account and prints a one-time
// link; in Chromium the operator sets a password, signs in, is sent to turn on two-step sign-in, enrols with the
// key shown, and adds an LMS platform; then signs out and in again with a code. axe-core checks each page.

const rounds = useTestRounds();
const browser = useChromium();
const email = 'olu.operator@hospital.example';
const password = 'a long walk to the quiet ward at dawn';

beforeAll(() => mkdirSync(path.join(screenshots, 'accounts'), { recursive: true }));

async function fill(page: Page, label: string, value: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(value);
}

it(
  'when the CLI creates an operator, then its link leads to a password, two-step sign-in and an LMS platform added on the web',
  async () => {
    const created = await runCli(
      ['user', 'create', '--email', email, '--role', 'operator', '--name', 'Olu Operator'],
      { MONGODB_URI: testDatabaseUri(), NODE_ENV: 'test', PUBLIC_URL: rounds.url },
    );
    expect(created.code).toBe(0);
    const link = /(http:\/\/\S+\/set-password\/\S+)/.exec(created.stdout)?.[1];
    expect(link).toBeDefined();

    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await page.goto(link!);
    await expectAccessiblePage(page, 'accounts/set-password');
    await fill(page, 'New password', password);
    await fill(page, 'New password again', password);
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.waitForURL(/\/signin/);

    await expectAccessiblePage(page, 'accounts/signin');
    await fill(page, 'E-mail address', email);
    await fill(page, 'Password', password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState();

    // An operator reaches the operator pages only with two-step sign-in: the platforms page sends her to enrol.
    await page.goto(`${rounds.url}/admin/platforms`);
    await page.waitForURL(`${rounds.url}/account/totp`);
    await expectAccessiblePage(page, 'accounts/totp-enrol');
    const secret = (await page.locator('.totp-secret code').textContent())!.replace(/\s+/g, '');
    await fill(page, '6-digit code', totpCodeAt(secret, Date.now()));
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expectAccessiblePage(page, 'accounts/recovery-codes');

    await page.goto(`${rounds.url}/admin/platforms`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('LMS platforms');
    await page.getByRole('link', { name: 'Add an LMS platform' }).first().click();
    await page.waitForURL(`${rounds.url}/operator/platforms/new`);
    await expectAccessiblePage(page, 'accounts/operator-platform-new');
    await fill(page, 'Issuer (platform ID)', 'https://moodle.stlukes.example');
    await fill(page, 'Client ID', 'rounds-stlukes');
    await fill(page, 'Deployment ID', '1');
    await fill(page, 'Authentication request URL', 'https://moodle.stlukes.example/mod/lti/auth.php');
    await fill(page, 'Access token URL', 'https://moodle.stlukes.example/mod/lti/token.php');
    await fill(page, 'Public keyset URL', 'https://moodle.stlukes.example/mod/lti/certs.php');
    await fill(page, 'Name (optional)', 'St. Luke’s Moodle');
    await page.getByRole('button', { name: 'Add platform' }).click();
    await page.waitForURL(/\/admin\/platforms|\/operator\/platforms/);
    expect(await page.locator('main').textContent()).toContain('St. Luke’s Moodle');
    await expectAccessiblePage(page, 'accounts/operator-platforms');

    // Signing in again asks for a code after the password (the next step's: the enrolment used this one).
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${rounds.url}/signin`);
    await fill(page, 'E-mail address', email);
    await fill(page, 'Password', password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/signin\/code/);
    await expectAccessiblePage(page, 'accounts/signin-code');
    await fill(page, 'Code', totpCodeAt(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForLoadState();
    await page.goto(`${rounds.url}/operator/tenants`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expectAccessiblePage(page, 'accounts/operator-tenants');
  },
  jvmTimeoutMs,
);
