import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { SandboxPerson } from '../../../src/sandbox/sandbox';
import { expectAccessiblePage, screenshots, useChromium } from '../../support/browser';
import { sandboxLaunchPath } from '../../support/launch';
import { useTestRounds } from '../../support/rounds';

// Every page type of the well-being feature outside the module steps (those are walked in the course frame by
// module.keyboard.e2e.test.ts): axe-core (WCAG 2.0–2.2 A/AA) at desktop width, then the same page at 320 px
// without sideways scrolling. Screenshots at both widths go to test-results/wellbeing/.

const rounds = useTestRounds();
const browser = useChromium();
const pictures = path.join(screenshots, 'wellbeing');
const contexts = new Map<SandboxPerson['key'], Promise<BrowserContext>>();

beforeAll(() => mkdirSync(pictures, { recursive: true }));
afterAll(async () => {
  for (const context of contexts.values()) await (await context).close();
});

/** A browser signed in as `person` by a launch from the sandbox course (one per person for the file). */
function signedIn(person: SandboxPerson['key']): Promise<BrowserContext> {
  const context =
    contexts.get(person) ??
    (async () => {
      const started = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
      const page = await started.newPage();
      await page.goto(`${rounds.url}${sandboxLaunchPath(person)}`);
      await page.waitForURL(`${rounds.url}/home`);
      await page.close();
      return started;
    })();
  contexts.set(person, context);
  return context;
}

/** Then: accessible at 1280 px (axe, one h1), and at 320 px nothing scrolls sideways; pictures at both widths. */
async function expectGoodPage(page: Page, name: string, heading: string | RegExp): Promise<void> {
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(heading);
  await expectAccessiblePage(page, path.join('wellbeing', `${name}-1280`));
  await page.setViewportSize({ width: 320, height: 900 });
  await page.screenshot({ path: path.join(pictures, `${name}-320.png`), fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function open(person: SandboxPerson['key'], address: string): Promise<Page> {
  const page = await (await signedIn(person)).newPage();
  await page.goto(`${rounds.url}${address}`);
  return page;
}

/** Answers a two-question check on its form: the option labelled `labels[i]` for question i. */
async function answer(page: Page, labels: string[]): Promise<void> {
  const groups = page.getByRole('group');
  for (const [index, label] of labels.entries()) {
    await groups.nth(index).getByRole('radio', { name: label, exact: true }).check();
  }
  await page.getByRole('button', { name: 'See my result' }).click();
}

it.each([
  ['catalogue', 'nurse', '/modules', 'Well-being modules'],
  ['self-check-library', 'nurse', '/wellbeing/checks', 'Self-checks'],
  ['self-check-form', 'nurse', '/wellbeing/checks/gad-2', /GAD-2/],
  ['support', 'nurse', '/support', 'Support'],
  ['profile', 'nurse', '/profile', 'Your profile'],
  ['data', 'nurse', '/wellbeing/data', 'Your well-being data'],
  ['admin-settings', 'cmeAdmin', '/admin/wellbeing', 'Well-being settings'],
  ['admin-aggregates', 'cmeAdmin', '/admin/wellbeing/aggregates', 'Self-check aggregates'],
  ['admin-modules', 'cmeAdmin', '/admin/modules', 'Modules'],
] as const)(
  'when the %s page opens, then it passes axe and reflows at 320 px',
  async (name, person, address, heading) => {
    const page = await open(person, address);
    await expectGoodPage(page, name, heading);
    await page.close();
  },
);

it('when a self-check is sent with a question unanswered, then the error page passes axe and keeps the answer given', async () => {
  const page = await open('nurse', '/wellbeing/checks/phq-2');
  await page.getByRole('group').first().getByRole('radio', { name: 'Several days', exact: true }).check();
  await page.getByRole('button', { name: 'See my result' }).click();
  await page.getByRole('alert').waitFor();
  expect(await page.getByRole('group').first().getByRole('radio', { name: 'Several days' }).isChecked()).toBe(
    true,
  );
  await expectGoodPage(page, 'self-check-form-error', /PHQ-2/);
  await page.close();
});

it('when a physician screens positive twice, then the result leads with support and the trend has a chart and a table', async () => {
  const page = await open('physician', '/wellbeing/checks/phq-2');
  await answer(page, ['More than half the days', 'Several days']);
  await page.waitForURL(/\/wellbeing\/results\/[A-Za-z0-9_-]{22}$/);
  const main = (await page.locator('main').textContent())!;
  expect(main).toContain('988');
  expect(main).toContain('1-888-409-0141');
  // Support comes before the score on the page.
  expect(main.indexOf('1-888-409-0141')).toBeLessThan(main.indexOf('out of 6'));
  await expectGoodPage(page, 'self-check-result-positive', /Your result/);

  await page.goto(`${rounds.url}/wellbeing/checks/phq-2`);
  await answer(page, ['Several days', 'Not at all']);
  await page.waitForURL(/\/wellbeing\/results\/[A-Za-z0-9_-]{22}$/);
  await page.goto(`${rounds.url}/wellbeing/results`);
  const chart = page.getByRole('img', { name: /PHQ-2/ });
  expect(await chart.count()).toBe(1);
  expect(await page.getByRole('table').first().getByRole('row').count()).toBeGreaterThanOrEqual(3);
  await expectGoodPage(page, 'self-check-trend', 'My self-check results');
  await page.close();
});
