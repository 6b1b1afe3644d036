import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { parse } from 'yaml';
import { placeActivity } from '../../../src/sandbox/sandbox.course';
import { drainOutbox, sandboxScores, waitFor } from '../../support';
import { screenshots, useChromium } from '../../support/browser';
import { useTestRounds } from '../../support/rounds';

// A nurse works through a whole module inside the sandbox course's frame, 320 px wide, by keyboard only: Tab to
// reach each control, Enter, Space and the arrow keys to use it, the keyboard to type. Rounds is on 127.0.0.1 and
// the sandbox LMS on localhost, so the frame is cross-site as in production. axe-core checks each page type inside
// the frame; screenshots of the course page with the frame go to test-results/module-walk/.

const rounds = useTestRounds({ crossSiteCookies: true, sandboxHost: 'localhost' });
const browser = useChromium();
const pictures = path.join(screenshots, 'module-walk');
const frameWidth = 320;

let page: Page;
let frame: Frame;

beforeAll(async () => {
  mkdirSync(pictures, { recursive: true });
  page = await (
    await browser.newContext({ bypassCSP: true, viewport: { width: 400, height: 900 } })
  ).newPage();
});
afterAll(() => page?.context().close());

/** Presses Tab until `target` has focus (it must be reachable by keyboard, in a sensible number of stops). */
async function tabTo(target: Locator, maxStops = 60): Promise<void> {
  await target.waitFor();
  for (let stop = 0; stop < maxStops; stop++) {
    if (await target.evaluate((element) => element === element.ownerDocument.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${String(target)} was not reached with ${maxStops} presses of Tab`);
}

/**
 * Tabs to a link or button and presses Enter, then waits for a new page in the frame (not the one the key was
 * pressed on, which may have the same heading) whose h1 is `heading`.
 */
async function activate(target: Locator, heading: string | RegExp): Promise<void> {
  await tabTo(target);
  await frame.evaluate(() => ((window as unknown as { pressedHere?: boolean }).pressedHere = true));
  await page.keyboard.press('Enter');
  await waitFor('the next page in the frame', () =>
    frame.evaluate(() => !(window as unknown as { pressedHere?: boolean }).pressedHere).catch(() => false),
  );
  await frame.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** Chooses `label` in the radio group `legend` with the arrow keys (Tab lands on the group's checked or first radio). */
async function chooseByKeyboard(legend: string | RegExp, label: string): Promise<void> {
  const group = frame.getByRole('group', { name: legend });
  const radios = group.getByRole('radio');
  const checked = group.locator('input[type=radio]:checked');
  await tabTo((await checked.count()) > 0 ? checked : radios.first());
  const wanted = group.getByRole('radio', { name: label, exact: true });
  if (!(await wanted.isChecked())) await page.keyboard.press('Space');
  for (let step = 0; step < (await radios.count()) && !(await wanted.isChecked()); step++) {
    await page.keyboard.press('ArrowDown');
  }
  expect(await wanted.isChecked()).toBe(true);
}

/** axe-core (WCAG 2.0–2.2 A/AA) inside Rounds' frame; the course page with the frame is kept as `<name>.png`. */
async function expectAccessibleFrame(name: string): Promise<void> {
  // The frame grows to its content and the window to the page for the picture (a cross-site frame paints only
  // inside the window), so the whole page of Rounds shows at 320 px; then both go back.
  const toolFrame = page.locator('iframe[name=tool]');
  const contentHeight = await frame.evaluate(() => document.documentElement.scrollHeight);
  await toolFrame.evaluate(
    (element, height) => ((element as HTMLElement).style.height = `${height + 4}px`),
    contentHeight,
  );
  const viewport = page.viewportSize()!;
  const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height: pageHeight });
  await frame.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  await page.screenshot({ path: path.join(pictures, `${name}.png`) });
  await page.setViewportSize(viewport);
  await toolFrame.evaluate((element) => ((element as HTMLElement).style.height = ''));
  expect(await frame.getByRole('heading', { level: 1 }).count()).toBe(1);
  await frame.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
  const violations = await frame.evaluate(async () => {
    type Axe = {
      run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string }[] }>;
    };
    const result = await (window as unknown as { axe: Axe }).axe.run(document, {
      runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'],
    });
    return result.violations.map((violation) => `${violation.impact}: ${violation.id}`);
  });
  expect(violations).toEqual([]);
  // Reflow (WCAG 1.4.10): nothing in the frame scrolls sideways at 320 px.
  expect(await frame.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(frameWidth);
}

it('when a nurse works through a module in the course frame by keyboard only, then she completes it, passes its check on a second try and the LMS gets 100 once', async () => {
  const sandbox = rounds.sandbox!;
  const linkId = await placeActivity(sandbox.issuer, '6', {
    title: 'Two-minute resets between patients',
    text: 'A placed Rounds module',
    custom: { rounds_target: 'module:two-minute-resets' },
    lineItem: { scoreMaximum: 100, label: 'Two-minute resets between patients' },
  });
  await page.goto(
    `${rounds.url.replace('127.0.0.1', 'localhost')}/sandbox/embed/nurse?resource_link_id=${linkId}`,
  );
  const toolFrame = page.locator('iframe[name=tool]');
  // Size the window so that Rounds' frame is exactly 320 px wide inside the course page.
  const width = (await toolFrame.boundingBox())!.width;
  await page.setViewportSize({ width: Math.round(400 + frameWidth - width), height: 900 });
  expect(Math.round((await toolFrame.boundingBox())!.width)).toBe(frameWidth);
  frame = page.frame({ name: 'tool' })!;

  await frame.getByRole('heading', { level: 1, name: 'Two-minute resets between patients' }).waitFor();
  await expectAccessibleFrame('1-overview');
  await activate(frame.getByRole('link', { name: /^Start/ }), 'Why a two-minute reset helps');
  expect(await frame.getByText('Step 1 of 7').first().isVisible()).toBe(true);
  await expectAccessibleFrame('2-step-read');

  await activate(frame.getByRole('button', { name: 'Next' }), /./);
  await activate(frame.getByRole('button', { name: 'Next' }), 'Box breathing');
  // The pacer starts and speaks its first phase; the nurse stops it and says how long she practised.
  await tabTo(frame.getByRole('button', { name: 'Start the pacer' }));
  await page.keyboard.press('Enter');
  await waitFor('the pacer to announce its first phase', async () =>
    (await frame.locator('[data-pacer-phase]').textContent())?.includes('Breathe in'),
  );
  await page.keyboard.press('Enter');
  await expectAccessibleFrame('3-step-practice');
  await tabTo(frame.getByLabel('Minutes practised'));
  await page.keyboard.press('Control+A');
  await page.keyboard.type('2');
  await activate(frame.getByRole('button', { name: 'Save and continue' }), /grounding/i);
  await tabTo(frame.getByLabel('Minutes practised'));
  await page.keyboard.press('Control+A');
  await page.keyboard.type('1');
  await activate(frame.getByRole('button', { name: 'Save and continue' }), 'Check your understanding');
  await expectAccessibleFrame('4-step-check');

  // First try: one answer right of three, below the pass mark of two.
  await chooseByKeyboard(
    /mind keeps replaying/,
    'Nothing, because resets only work if you sit down with your eyes closed.',
  );
  await chooseByKeyboard(
    /holds start to feel uncomfortable/,
    'Push through, because the holds are what make it work.',
  );
  const third = frame.getByRole('group').nth(2);
  await chooseByKeyboard((await third.locator('legend').textContent())!.trim(), await correctOption(third));
  await activate(frame.getByRole('button', { name: 'Check my answers' }), 'Check your understanding');
  expect(await frame.getByRole('heading', { level: 2, name: /Not passed yet: 1 of 3 correct/ }).count()).toBe(
    1,
  );
  await expectAccessibleFrame('5-step-check-failed');

  // Second try: the form keeps her last answers; she changes the first two.
  await chooseByKeyboard(
    /mind keeps replaying/,
    '5-4-3-2-1 grounding, to bring your attention back to where you are now.',
  );
  await chooseByKeyboard(
    /holds start to feel uncomfortable/,
    await correctOption(frame.getByRole('group').nth(1)),
  );
  await activate(frame.getByRole('button', { name: 'Check my answers' }), 'Check your understanding');
  expect(await frame.getByRole('heading', { level: 2, name: /Passed: 3 of 3 correct/ }).count()).toBe(1);
  await activate(frame.getByRole('link', { name: 'Next' }), 'Your reflection');
  await expectAccessibleFrame('6-step-reflection');

  await tabTo(frame.getByLabel('Your reflection'));
  await page.keyboard.type('Walking back from the family room: box breathing before the next door.');
  await activate(frame.getByRole('button', { name: /^Save/ }), 'A private two-question check-in');
  await expectAccessibleFrame('7-step-self-check');

  // The optional self-check, taken in the frame: the result page, then back into the module.
  await chooseByKeyboard(/interest or pleasure/i, 'Several days');
  await chooseByKeyboard(/down, depressed/i, 'Not at all');
  await activate(frame.getByRole('button', { name: 'See my result' }), /Your result/);
  await expectAccessibleFrame('8-self-check-result');
  await activate(frame.getByRole('link', { name: 'Continue the module' }), /You completed Two-minute resets/);
  await expectAccessibleFrame('9-completed');

  // Launching the completed module again from the course sends nothing more.
  await page.reload();
  frame = page.frame({ name: 'tool' })!;
  await frame.getByRole('heading', { level: 1, name: 'Two-minute resets between patients' }).waitFor();
  expect(await frame.getByText(/completed/i).count()).toBeGreaterThan(0);
  await drainOutbox(rounds);
  const scores = await sandboxScores(rounds, '3');
  expect(
    scores.map(({ scoreGiven, scoreMaximum, activityProgress }) => ({
      scoreGiven,
      scoreMaximum,
      activityProgress,
    })),
  ).toEqual([{ scoreGiven: 100, scoreMaximum: 100, activityProgress: 'Completed' }]);
});

/** The text of the correct option of a check question, as the pack says (read from the module's own file). */
async function correctOption(group: Locator): Promise<string> {
  const legend = (await group.locator('legend').textContent())!.trim();
  const pack = readFileSync(
    path.join(__dirname, '../../../content/modules/two-minute-resets/module.yaml'),
    'utf8',
  );
  const module = parse(pack) as {
    steps: {
      kind: string;
      questions?: { prompt: string; options: { text: string; correct?: boolean }[] }[];
    }[];
  };
  const questions = module.steps.flatMap((step) => step.questions ?? []);
  const question = questions.find((q) => q.prompt.trim() === legend);
  if (!question) throw new Error(`no question "${legend}" in the pack`);
  return question.options.find((option) => option.correct)!.text.trim();
}
