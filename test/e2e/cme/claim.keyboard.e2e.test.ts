import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { CmeProfileModel, LedgerEntryModel } from '../../../src/cme';
import { EvaluationResponseModel } from '../../../src/cme/requirements/evaluation.model';
import { expectAccessiblePage, screenshots, useChromium } from '../../support/browser';
import { sandboxLaunchPath } from '../../support/launch';
import { sandboxCourseIn } from '../../support/outbox';
import { useTestRounds } from '../../support/rounds';
import { pdfText } from '../../integration/cme/certificates/certificates.seed';
import { seedActivity, seedCompletions, useChicago } from './cme.seed';

// Claiming CME credit by keyboard alone (issue 13, "Done when"): Dr. Raman lands on the claim page from her course,
// sees her modules done and the evaluation to do, fills in the evaluation, her reporting profile (asked once, at
// the first claim), attests, claims 1.25 AMA PRA Category 1 Credits™ and downloads her certificate, using only
// Tab, Space, arrow keys, typing and Enter. Module completions are seeded (the module player has its own keyboard
// test); the pages she passes through also pass axe at 1280 px and reflow at 320 px (pictures in test-results/cme/).

const rounds = useTestRounds();
const browser = useChromium();
const pictures = path.join(screenshots, 'cme');
let context: BrowserContext;
let physicianId: string;
const key = 'keyboard-resilience';
const title = 'Resilience on the Ward (keyboard)';

beforeAll(async () => {
  mkdirSync(pictures, { recursive: true });
  context = await browser.newContext({
    bypassCSP: true,
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  const launch = await context.newPage();
  await launch.goto(`${rounds.url}${sandboxLaunchPath('physician')}`);
  await launch.waitForURL(`${rounds.url}/home`);
  await launch.close();
  const course = await sandboxCourseIn(rounds);
  await useChicago(course);
  physicianId = await course.userId('4');
  await seedActivity(course, key, title);
  await seedCompletions(course, physicianId);
});

afterAll(async () => {
  await context?.close();
});

/** Then: accessible at 1280 px (axe, one h1), and at 320 px nothing scrolls sideways; pictures at both widths. */
async function expectGoodPage(page: Page, name: string): Promise<void> {
  await expectAccessiblePage(page, path.join('cme', `${name}-1280`));
  await page.setViewportSize({ width: 320, height: 900 });
  await page.screenshot({ path: path.join(pictures, `${name}-320.png`), fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Presses Tab until the focused element matches `test` (evaluated in the page); fails after 80 presses. */
async function tabTo(page: Page, description: string, test: string): Promise<void> {
  for (let presses = 0; presses < 80; presses++) {
    await page.keyboard.press('Tab');
    if (
      await page.evaluate(`(function (element) { return !!element && (${test}); })(document.activeElement)`)
    )
      return;
  }
  throw new Error(`Tab never reached ${description}`);
}

/** Presses Enter on the focused element and waits for the page at a URL matching `url`. */
async function enterTo(page: Page, url: RegExp): Promise<void> {
  await Promise.all([page.waitForURL(url), page.keyboard.press('Enter')]);
}

const headingOf = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

describe('a physician claims CME credit with the keyboard only', () => {
  it('when she completes the evaluation, her profile and the claim by keyboard, then 1.25 credits are recorded and her certificate downloads', async () => {
    const page = await context.newPage();
    // Where her LMS launch of the course's placed "CME credit" activity lands: the course's one activity.
    await page.goto(`${rounds.url}/targets/cme-claim/course-credit`);
    await page.waitForURL(`${rounds.url}/cme/activities/${key}`);
    expect(await headingOf(page)).toBe(title);
    // Disclosures come before the requirements (ACCME Standard 3), and the modules are done, the evaluation not.
    const text = await page.locator('main').innerText();
    expect(text.indexOf('Acme Pharmaceuticals')).toBeGreaterThan(-1);
    expect(text.indexOf('Acme Pharmaceuticals')).toBeLessThan(text.indexOf('What this activity requires'));
    await expectGoodPage(page, 'keyboard-claim-unmet');

    // 1. The evaluation: the requirement's link, then a scale answered with the arrow keys and a typed answer.
    await tabTo(
      page,
      'the evaluation requirement',
      "(element.getAttribute('href') || '').endsWith('/evaluation')",
    );
    await enterTo(page, /\/evaluation$/);
    expect(await headingOf(page)).toBe(`Evaluation: ${title}`);
    await expectGoodPage(page, 'keyboard-evaluation');
    await tabTo(page, 'the first answer of the scale', "element.type === 'radio'");
    await page.keyboard.press('Space'); // Strongly disagree …
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown'); // … to Agree
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('4');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.type('Check in with my team after a hard night.');
    await tabTo(
      page,
      'the Submit evaluation button',
      "element.tagName === 'BUTTON' && element.type === 'submit'",
    );
    expect(await focusedText(page)).toBe('Submit evaluation');
    await enterTo(page, new RegExp(`/cme/activities/${key}\\?done=evaluated`));
    const evaluation = await EvaluationResponseModel.findOne({
      userId: physicianId,
      activityKey: key,
    }).lean();
    expect(evaluation!.answers.map((answer) => answer.answer)).toEqual([
      '4',
      'Check in with my team after a hard night.',
    ]);

    // 2. Her first claim asks for the reporting profile once; saving it returns to the claim page.
    await tabTo(
      page,
      'the reporting profile link',
      "(element.getAttribute('href') || '').startsWith('/cme/profile')",
    );
    await enterTo(page, /\/cme\/profile\?next=/);
    await expectGoodPage(page, 'keyboard-profile');
    await tabTo(page, 'the first profession', "element.name === 'profession'");
    await page.keyboard.press('Space');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe(
      'physician-md',
    );
    await tabTo(page, 'the first name', "element.name === 'firstName'");
    await page.keyboard.type('Priya');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Raman');
    await tabTo(page, 'the NPI', "element.name === 'npi'");
    await page.keyboard.type('1234567893');
    await tabTo(page, 'the PARS consent', "element.name === 'consentPars'");
    await page.keyboard.press('Space');
    const submitButton = "element.tagName === 'BUTTON' && element.type === 'submit'";
    await tabTo(page, 'the profile’s submit button', submitButton);
    // PARS needs a birth month and day: refused, with the message at the field and what she typed kept.
    await Promise.all([
      page.waitForResponse((answer) => answer.request().method() === 'POST'),
      page.keyboard.press('Enter'),
    ]);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain(
      'To report to PARS, choose your birth month and day.',
    );
    expect(await page.locator('#npi').inputValue()).toBe('1234567893');
    expect(await page.locator('#consent-pars').isChecked()).toBe(true);
    await expectGoodPage(page, 'keyboard-profile-error');
    // The error summary's link takes her to the field; typing picks the month, then the day.
    await tabTo(page, 'the error summary’s link', "(element.getAttribute('href') || '') === '#birth-month'");
    await page.keyboard.press('Enter');
    if ((await page.evaluate(() => document.activeElement?.id)) !== 'birth-month') {
      await tabTo(page, 'the birth month', "element.id === 'birth-month'");
    }
    await page.keyboard.type('March');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('birth-day');
    await page.keyboard.type('14');
    expect([
      await page.locator('#birth-month').inputValue(),
      await page.locator('#birth-day').inputValue(),
    ]).toEqual(['03', '14']);
    await tabTo(page, 'the profile’s submit button', submitButton);
    await enterTo(page, new RegExp(`/cme/activities/${key}$`));
    const profile = await CmeProfileModel.findOne({ userId: physicianId }).lean();
    expect([
      profile!.profession,
      profile!.npi,
      profile!.birthMonthDay,
      profile!.consents?.pars?.given,
    ]).toEqual(['physician-md', '1234567893', '0314', true]);

    // 3. The claim: an amount in quarter steps, the attestation ticked with Space, Enter on "Claim credit".
    await expectGoodPage(page, 'keyboard-claim-met');
    await tabTo(page, 'the AMA amount', "element.name === 'amount-ama-pra-1'");
    await page.keyboard.type('1.25');
    await tabTo(page, 'the attestation', "element.name === 'attest'");
    await page.keyboard.press('Space');
    await tabTo(page, 'the Claim credit button', "element.tagName === 'BUTTON' && element.type === 'submit'");
    expect(await focusedText(page)).toBe('Claim credit');
    await enterTo(page, new RegExp(`/cme/activities/${key}\\?done=claimed`));
    expect(await page.getByRole('status').textContent()).toContain('Your claim is recorded');
    const claims = await LedgerEntryModel.find({ userId: physicianId, activityKey: key }).lean();
    expect(claims.map((claim) => [claim.kind, claim.creditType, claim.amount])).toEqual([
      ['claim', 'ama-pra-1', 1.25],
    ]);
    expect(claims[0]!.attestationText).toMatch(/I attest/);
    await expectGoodPage(page, 'keyboard-claim-claimed');

    // 4. The certificate: Enter on its link (a PDF, shown or saved by the browser).
    await tabTo(
      page,
      'the certificate link',
      "(element.getAttribute('href') || '').startsWith('/cme/certificates/')",
    );
    expect(await focusedText(page)).toContain(claims[0]!.number);
    const download = page.waitForEvent('download', { timeout: 20_000 }).catch(() => undefined);
    const answer = context.waitForEvent('response', {
      predicate: (response: Response) => response.url().includes('/cme/certificates/'),
      timeout: 20_000,
    });
    await page.keyboard.press('Enter');
    const response = await answer;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    // Chromium shows the PDF in its viewer (the navigation's body is then the viewer's page) or saves it; either
    // way the same address, fetched with her cookies, gives the file whose text is checked here.
    const saved = await Promise.race([download, new Promise<undefined>((done) => setTimeout(done, 1000))]);
    const bytes = saved
      ? readFileSync((await saved.path())!)
      : await (await context.request.get(response.url())).body();
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdf = await pdfText(Buffer.from(bytes));
    expect(pdf).toContain('Priya Raman');
    expect(pdf).toContain(title);
    expect(pdf).toContain('1.25');
    expect(pdf).toContain(claims[0]!.number);
    await page.close();
  });
});
