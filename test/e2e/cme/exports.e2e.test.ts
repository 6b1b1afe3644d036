import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { CmeExportModel } from '../../../src/cme/exports';
import { expectAccessiblePage, screenshots, useChromium } from '../../support/browser';
import { sandboxLaunchPath } from '../../support/launch';
import { sandboxCourseIn } from '../../support/outbox';
import { useTestRounds } from '../../support/rounds';
import {
  seedClaims,
  seedExportActivity,
  sha256Of,
  someUserId,
  useExportWorker,
} from '../../integration/cme/exports/exports.support';
import { useChicago } from './cme.seed';

// A CME coordinator exports a quarter's claims (issue 14, "Done when"), by keyboard only: she filters by activity,
// sees the count, starts a large export (over the inline limit, set low here, so it runs as a job), watches the
// progress bar, downloads the file and checks it, then re-creates it from the export log and sees it verified.
// Each page passes axe (WCAG 2.0–2.2 A/AA) at 1280 px and reflows at 320 px; pictures in test-results/cme/.

const claims = 15_000;
const rounds = useTestRounds({ cmeExportInlineMaxRows: 500 });
useExportWorker(rounds);
const browser = useChromium();
const pictures = path.join(screenshots, 'cme');
let context: BrowserContext;

beforeAll(async () => {
  mkdirSync(pictures, { recursive: true });
  context = await browser.newContext({
    bypassCSP: true,
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  const launch = await context.newPage();
  await launch.goto(`${rounds.url}${sandboxLaunchPath('cmeAdmin')}`);
  await launch.waitForURL(/\/home$/);
  await launch.close();
  const course = await sandboxCourseIn(rounds);
  await useChicago(course);
  await seedExportActivity(course.tenantId, 'e2e-export-other', 'Another Activity');
  const activity = await seedExportActivity(course.tenantId, 'e2e-export-quarter', 'Quarterly Grand Rounds');
  const learners = Array.from({ length: 50 }, () => someUserId());
  await seedClaims(course.tenantId, activity, learners, claims, { firstDate: '2026-01-01' });
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

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

describe('a CME coordinator exports a quarter’s claims', () => {
  it('when she filters, starts a large export and waits, then the bar fills, the file downloads whole, and its re-creation matches', async () => {
    const page = await context.newPage();
    // A range that ends before it starts: refused at the field, the dates kept.
    const refused = await page.goto(`${rounds.url}/cme/admin/exports?from=2026-06-30&to=2026-01-01`);
    expect(refused?.status()).toBe(400);
    expect(await page.locator('.error-summary').innerText()).toContain(
      'The end date must be on or after the start date.',
    );
    await expectGoodPage(page, 'exports-form-error');
    await page.goto(`${rounds.url}/cme/admin/exports`);
    await expectGoodPage(page, 'exports-form');

    // Filters by keyboard: the activity select, then the count button.
    await tabTo(page, 'the activity select', "element.id === 'export-activity'");
    while ((await page.inputValue('#export-activity')) !== 'e2e-export-quarter')
      await page.keyboard.press('ArrowDown');
    await tabTo(page, 'the count button', "element.textContent.trim() === 'Count matching claims'");
    await Promise.all([page.waitForURL(/activity=e2e-export-quarter/), page.keyboard.press('Enter')]);
    expect(await page.locator('#export-count').innerText()).toMatch(/^15,000 claims match these filters/);
    expect(await page.locator('main').innerText()).toContain('is made in the background');
    expect(await page.locator('#export-format-claims-csv-note').innerText()).toBe(
      'Reads 15,000 claims: made in the background, then kept for you to download.',
    );
    await expectGoodPage(page, 'exports-form-counted');

    // The file: the claims CSV is chosen already; Tab to the radio, Tab to the button, Enter.
    await tabTo(page, 'the chosen format', "element.name === 'format'");
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('claims-csv');
    const statuses: Array<{ status: string; percent: number; done: boolean }> = [];
    page.on('response', (response) => {
      if (/\/status$/.test(response.url())) {
        response.json().then(
          (body) => statuses.push(body),
          () => undefined,
        );
      }
    });
    await tabTo(page, 'the make button', "element.textContent.trim() === 'Make the file'");
    await Promise.all([
      page.waitForURL(/\/cme\/admin\/exports\/[0-9a-f]{24}$/),
      page.keyboard.press('Enter'),
    ]);
    const jobUrl = page.url();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Export: All claims (CSV)');
    const firstValue = await page
      .locator('#export-progress')
      .evaluate((bar: HTMLProgressElement) => bar.value);
    const startedDone = (await page.locator('[data-export-job][data-polling]').count()) === 0;
    await page.screenshot({ path: path.join(pictures, 'exports-job-started-1280.png'), fullPage: true });

    // The page's script follows the job until the download link appears.
    const download = page.getByRole('link', { name: /^Download rounds-claims-all\.csv$/ });
    await download.waitFor({ timeout: 60_000 });
    const bar = await page.locator('#export-progress').evaluate((element: HTMLProgressElement) => ({
      value: element.value,
      max: element.max,
    }));
    expect(bar).toEqual({ value: claims, max: claims });
    expect(await page.locator('#export-progress-text').innerText()).toBe(
      '15,000 of 15,000 claims read (100%)',
    );
    // The job was seen before it finished: the page opened on it unfinished, or a status said it was running.
    const intermediate = statuses.filter((status) => !status.done);
    expect(!startedDone || intermediate.length > 0).toBe(true);
    expect(firstValue).toBeLessThan(claims);
    expect(statuses.at(-1)).toMatchObject({ status: 'complete', percent: 100, done: true });
    expect(await page.locator('[data-export-live]').innerText()).toContain('The file is ready to download.');
    await expectGoodPage(page, 'exports-job-complete');

    // Download by keyboard, then check the file: a header and every claim, hashed as the log says.
    await tabTo(page, 'the download link', "element.hasAttribute('download')");
    const [file] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(file.suggestedFilename()).toBe('rounds-claims-all.csv');
    const bytes = readFileSync((await file.path())!);
    const lines = bytes
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toMatch(/^Entry Number,Kind,Learner ID,Learner,Profession,Activity Key/);
    expect(lines).toHaveLength(claims + 1);
    expect(lines.slice(1).every((line) => line.includes('e2e-export-quarter'))).toBe(true);
    const id = /([0-9a-f]{24})$/.exec(jobUrl)![1]!;
    const record = await CmeExportModel.findById(id).lean();
    expect(sha256Of(bytes)).toBe(record!.sha256);

    // The export log lists it with its hash; "Re-create and verify" by keyboard proves the file.
    await page.goto(`${rounds.url}/cme/admin/exports/log`);
    expect(await page.locator('main').innerText()).toContain(record!.sha256!);
    await expectGoodPage(page, 'exports-log');
    await tabTo(page, 'the re-create button', "element.textContent.trim() === 'Re-create and verify'");
    expect(await focusedText(page)).toBe('Re-create and verify');
    await Promise.all([
      page.waitForURL(/\/cme\/admin\/exports\/[0-9a-f]{24}$/),
      page.keyboard.press('Enter'),
    ]);
    expect(page.url()).not.toBe(jobUrl);
    await page.locator('.cme-export-verdict--match').waitFor({ timeout: 60_000 });
    expect(await page.locator('.cme-export-verdict--match').innerText()).toContain(
      '✓ Matches the recorded hash.',
    );
    await expectGoodPage(page, 'exports-recreated');
    await page.close();
  });

  it('when three large files already wait, then a fourth gets the page linking them; a file no longer kept gets its own page', async () => {
    const page = await context.newPage();
    const made = await CmeExportModel.findOne({ status: 'complete', mode: 'job', recreationOf: null }).lean();
    // Three jobs waiting for tomorrow (the worker takes none of them now).
    const waiting = await CmeExportModel.insertMany(
      ['2026-01-01', '2026-02-01', '2026-03-01'].map((from) => ({
        tenantId: made!.tenantId,
        format: 'claims-csv',
        filter: { ...made!.filter, from },
        asOf: new Date(),
        timeZone: made!.timeZone,
        requestedBy: made!.requestedBy,
        requestedAt: new Date(),
        mode: 'job',
        status: 'queued',
        entriesTotal: claims,
        lease: { owner: '', until: new Date(Date.now() + 86_400_000) },
      })),
    );
    await page.goto(`${rounds.url}/cme/admin/exports?activity=e2e-export-quarter&format=claims-csv`);
    const [busy] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      page.getByRole('button', { name: 'Make the file' }).click(),
    ]);
    expect(busy.status()).toBe(409);
    for (const job of waiting) expect(await page.locator(`a[href$="${String(job._id)}"]`).count()).toBe(1);
    await expectGoodPage(page, 'exports-busy');
    await CmeExportModel.deleteMany({ _id: { $in: waiting.map((job) => job._id) } });

    // The file of the first export, swept after its keeping time: the page says so and points to re-creating it.
    await CmeExportModel.updateOne({ _id: made!._id }, { $set: { fileDeletedAt: new Date() } });
    const gone = await page.goto(`${rounds.url}/cme/admin/exports/${String(made!._id)}/file`);
    expect(gone?.status()).toBe(410);
    await expectGoodPage(page, 'exports-gone');
    await page.close();
  });
});
