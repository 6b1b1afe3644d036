import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { projectRoot } from '../../src/config';
import type { Rounds } from '../../src/runtime';
import { axeViolations, launchChromium } from '../support/browser';
import { startTestRounds } from '../support/rounds';

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

describe('a nurse opens Rounds from the sandbox course in Chromium', () => {
  it('when she clicks "Launch as" on the course page, then she lands on the Rounds home page greeted by name', async () => {
    // bypassCSP lets the test inject axe-core; Rounds' own pages run no inline script.
    const page = await browser.newPage({ bypassCSP: true });
    await page.goto(`${rounds.url}/sandbox`);
    await page.getByRole('link', { name: /Launch as Nora Okafor/ }).click();
    await page.waitForURL(`${rounds.url}/home`);

    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Welcome, Nora');
    expect(await page.textContent('main')).toContain('as a Learner');
    await page.screenshot({ path: path.join(screenshots, 'home-nurse.png'), fullPage: true });

    const violations = await axeViolations(page);
    expect(violations).toEqual([]);
  });
});
