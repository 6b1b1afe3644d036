import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../src/config';
import type { Rounds } from '../../src/runtime';
import { axeViolations, launchChromium } from '../support/browser';
import { startTestRounds } from '../support/rounds';

// What instructors and administrators click: deep linking from the sandbox course, the platforms page and
// "Register a tool by URL", in Chromium, with axe (WCAG 2.2 AA) on each Rounds page and a screenshot of it.

const screenshots = path.join(projectRoot, 'test-results');
let rounds: Rounds;
let browser: Browser;

beforeAll(async () => {
  rounds = await startTestRounds();
  browser = await launchChromium();
  mkdirSync(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await rounds?.close();
});

/** A page that can take axe-core (injected inline; Rounds' own pages run no inline script). */
async function newPage(): Promise<Page> {
  return (await browser.newContext({ bypassCSP: true })).newPage();
}

async function checkPage(page: Page, name: string) {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
  expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
  expect(await axeViolations(page)).toEqual([]);
}

describe('a mentor places Rounds activities in the sandbox course', () => {
  it('when she picks a module and the reflection assignment, then the course lists them and a learner launching the module lands on it', async () => {
    const page = await newPage();
    await page.goto(`${rounds.url}/sandbox`);
    await page.getByRole('link', { name: /Add an activity \(deep linking\) as Dr\. Elena García/ }).click();
    await page.waitForURL(/\/lti\/deeplink\/[0-9a-f]{24}$/);
    await checkPage(page, 'deeplink-picker');

    await page.getByRole('button', { name: 'Add to course' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('link', { name: 'Choose at least one activity to add.' }).count()).toBe(1);
    await checkPage(page, 'deeplink-picker-error');

    await page.getByLabel('Burnout basics').check();
    await page.getByLabel('Reflection assignment').check();
    await page.getByRole('button', { name: 'Add to course' }).click();
    await page.waitForURL(`${rounds.url}/sandbox/?placed=2`);
    expect(await page.getByRole('status').textContent()).toContain('2 activities were added');

    await page.getByRole('link', { name: 'Launch “Burnout basics” as Marcus Lee, PharmD' }).click();
    await page.waitForURL(`${rounds.url}/targets/module/burnout-basics`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Module: Burnout basics');
    await checkPage(page, 'target-module');
  });
});

describe('an administrator manages LMS platforms', () => {
  it('when he opens his platform page and adds an empty deployment ID, then the error is listed and linked to its field', async () => {
    const page = await newPage();
    await page.goto(`${rounds.url}/sandbox`);
    await page.getByRole('link', { name: /^Launch as Sam Whitfield/ }).click();
    await page.waitForURL(`${rounds.url}/home`);
    await page.getByRole('link', { name: 'Your LMS platform' }).click();
    await page.waitForURL(`${rounds.url}/admin/platforms`);
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toContain(
      'Rounds Sandbox LMS',
    );
    await checkPage(page, 'admin-platforms');

    await page.getByRole('button', { name: 'Add deployment' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByRole('link', { name: 'Enter the deployment ID.' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('deployment-id');
    await checkPage(page, 'admin-platforms-errors');
  });

  it('when an LMS administrator registers Rounds by URL in the sandbox, then Rounds says the operator must activate it, and its button closes the frame', async () => {
    const page = await newPage();
    await page.goto(`${rounds.url}/sandbox/tools`);
    await page.getByRole('button', { name: 'Register a tool by URL' }).click();
    const frame = page.frameLocator('iframe[data-tool-origin]');
    await frame.getByRole('heading', { name: 'Rounds is registered with your LMS' }).waitFor();
    await frame.getByRole('button', { name: 'Close and return to the LMS' }).click();
    // The POST that opened the frame answered at /sandbox/tools too: wait for the list page itself.
    await page.getByRole('heading', { level: 1, name: 'LTI tools' }).waitFor();
    expect(await page.getByText(/Client ID sandbox-dr-\d+/).count()).toBeGreaterThan(0);
    await checkPage(page, 'sandbox-tools');

    // Rounds' registration page on its own, for axe: the frame's request is held back so its token stays unused.
    const alone = await newPage();
    await alone.route('**/lti/register?**', (route) => route.abort());
    await alone.goto(`${rounds.url}/sandbox/tools`);
    await alone.getByRole('button', { name: 'Register a tool by URL' }).click();
    const src = await alone.locator('iframe[data-tool-origin]').getAttribute('src');
    await alone.unroute('**/lti/register?**');
    await alone.goto(src!);
    expect(await alone.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Rounds is registered with your LMS',
    );
    await checkPage(alone, 'lti-registered');
  });
});
