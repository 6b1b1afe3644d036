import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import {
  CohortReflectionModel,
  ReflectionAssignmentModel,
  ReflectionVersionModel,
} from '../../../src/cohorts/reflections';
import type { SandboxPerson } from '../../../src/sandbox/sandbox';
import { expectAccessiblePage, screenshots, useChromium } from '../../support/browser';
import { sandboxLaunchPath, signedInAs } from '../../support/launch';
import { sandboxCourseIn } from '../../support/outbox';
import { seedCohort } from '../../support/cohorts';
import { useTestRounds } from '../../support/rounds';

// Keyboard-first grading (issue 12, item 5): Dr. García grades three reflections from her queue with the keyboard
// alone (Tab, arrow keys, typing, Enter; j/k to move along the queue). Every page passes axe at 1280 px and reflows
// at 320 px; pictures of both widths go to test-results/cohorts/.

const rounds = useTestRounds();
const browser = useChromium();
const pictures = path.join(screenshots, 'cohorts');
let context: BrowserContext;
const mentees: Array<{ sub: string; name: string }> = [
  { sub: '3', name: 'Nora Okafor, RN' },
  { sub: '4', name: 'Dr. Priya Raman' },
  { sub: '5', name: 'Marcus Lee, PharmD' },
];

beforeAll(async () => {
  mkdirSync(pictures, { recursive: true });
  for (const person of ['mentor', 'nurse', 'physician', 'pharmacist'] as const)
    await signedInAs(rounds, person);
  const course = await sandboxCourseIn(rounds);
  const mentorId = await course.userId('6');
  const menteeIds = await Promise.all(mentees.map((mentee) => course.userId(mentee.sub)));
  const cohortId = await seedCohort(course, {
    name: 'Residents 2026',
    mentors: [mentorId],
    mentees: menteeIds,
    pairs: menteeIds.map((menteeId) => [mentorId, menteeId] as [string, string]),
  });
  // Seeded through the models (the form and submission are covered by the integration tests): one assignment,
  // one submitted version each, an hour apart, so the queue's oldest-first order is Nora, Priya, Marcus.
  const assignment = await ReflectionAssignmentModel.create({
    tenantId: course.tenantId,
    cohortId,
    courseId: course.courseId,
    title: 'A hard conversation',
    prompt: 'Describe a hard conversation with a patient’s family. What would you do again?',
    rubric: {
      criteria: [
        {
          title: 'Insight',
          levels: [
            { label: 'Emerging', points: 1, description: 'Describes what happened.' },
            { label: 'Developing', points: 2, description: 'Names what they felt and why.' },
            { label: 'Proficient', points: 3, description: 'Connects it to their practice.' },
          ],
        },
        {
          title: 'Plan',
          levels: [
            { label: 'Missing', points: 0 },
            { label: 'Clear', points: 4 },
          ],
        },
      ],
    },
    scoreMaximum: 7,
    dueAt: new Date('2026-03-31T22:00:00Z'),
  });
  for (const [index, menteeId] of menteeIds.entries()) {
    const submittedAt = new Date(Date.UTC(2026, 2, 20, 14 + index));
    const text = `Reflection of ${mentees[index]!.name}.\nIt was a long night on the ward; I listened first.`;
    const reflection = await CohortReflectionModel.create({
      tenantId: course.tenantId,
      cohortId,
      assignmentId: assignment._id,
      menteeId,
      status: 'submitted',
      draftText: text,
      latestVersion: 1,
      submittedAt,
    });
    await ReflectionVersionModel.create({
      tenantId: course.tenantId,
      cohortId,
      assignmentId: assignment._id,
      reflectionId: reflection._id,
      menteeId,
      number: 1,
      text,
      submittedAt,
    });
  }
  context = await signedInContext('mentor');
});

afterAll(async () => {
  await context?.close();
});

async function signedInContext(person: SandboxPerson['key']): Promise<BrowserContext> {
  const started = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await started.newPage();
  await page.goto(`${rounds.url}${sandboxLaunchPath(person)}`);
  await page.waitForURL(`${rounds.url}/home`);
  await page.close();
  return started;
}

/** Then: accessible at 1280 px (axe, one h1), and at 320 px nothing scrolls sideways; pictures at both widths. */
async function expectGoodPage(page: Page, name: string): Promise<void> {
  await expectAccessiblePage(page, path.join('cohorts', `${name}-1280`));
  await page.setViewportSize({ width: 320, height: 900 });
  await page.screenshot({ path: path.join(pictures, `${name}-320.png`), fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Presses Tab until the focused element matches `test` (evaluated in the page); fails after 60 presses. */
async function tabTo(page: Page, description: string, test: string): Promise<void> {
  for (let presses = 0; presses < 60; presses++) {
    await page.keyboard.press('Tab');
    if (
      await page.evaluate(`(function (element) { return !!element && (${test}); })(document.activeElement)`)
    )
      return;
  }
  throw new Error(`Tab never reached ${description}`);
}

const headingOf = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

describe('a mentor grades three reflections from the queue with the keyboard only', () => {
  it('when she tabs into the queue, chooses levels with the arrow keys, types feedback and presses Enter, then each grade saves and the next reflection opens', async () => {
    const page = await context.newPage();
    await page.goto(`${rounds.url}/grading`);
    expect(await headingOf(page)).toBe('Grading queue');
    expect(await page.getByRole('link', { name: /To grade \(3\)/ }).count()).toBe(1);
    await expectGoodPage(page, 'grading-queue');

    await tabTo(
      page,
      'the first “Grade” link',
      "(element.getAttribute('href') || '').startsWith('/grading/')",
    );
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain(
      `Grade ${mentees[0]!.name}’s reflection`,
    );
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/grading\/[0-9a-f]{24}$/);
    expect(await headingOf(page)).toBe(`Reflection of ${mentees[0]!.name}`);
    await expectGoodPage(page, 'grading-page');

    // j and k move along the queue (the focus is on the page, not in a text field).
    const first = page.url();
    await page.keyboard.press('j');
    await page.waitForURL((url) => url.toString() !== first);
    expect(await headingOf(page)).toBe(`Reflection of ${mentees[1]!.name}`);
    await page.keyboard.press('k');
    await page.waitForURL(first);

    for (const mentee of mentees) {
      expect(await headingOf(page)).toBe(`Reflection of ${mentee.name}`);
      await tabTo(page, 'the first rubric criterion', "element.name === 'level_0'");
      await page.keyboard.press('ArrowDown'); // Emerging → Developing (2 points)
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('level_1');
      await page.keyboard.press('ArrowDown'); // Missing → Clear (4 points)
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('feedback');
      await page.keyboard.type(`Thank you, ${mentee.name}: a clear plan.`);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Save grade');
      const before = page.url();
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.toString() !== before && /done=[0-9a-f]{24}$/.test(url.toString()));
      const notice = await page.getByRole('status').textContent();
      expect(notice).toContain(`Grade saved: 6 of 7 for ${mentee.name}.`);
      expect(notice).toContain('no LMS grade column yet');
    }
    expect(await headingOf(page)).toBe('Grading queue');
    expect(await page.getByText('Nothing to grade right now.').count()).toBe(1);
    expect(await ReflectionVersionModel.countDocuments({ status: 'graded', score: 6 })).toBe(3);
    await page.goto(`${rounds.url}/grading?tab=graded`);
    expect(await page.getByRole('link', { name: /Graded \(3\)/ }).count()).toBe(1);
    await expectGoodPage(page, 'grading-queue-graded');
    await page.close();
  });

  it('when the mentee opens her reflection, then she reads the grade, the levels and the feedback at once', async () => {
    const nurse = await signedInContext('nurse');
    const page = await nurse.newPage();
    const reflection = await CohortReflectionModel.findOne({ status: 'graded' })
      .sort({ submittedAt: 1 })
      .lean();
    await page.goto(
      `${rounds.url}/cohorts/${String(reflection!.cohortId)}/reflections/${String(reflection!.assignmentId)}`,
    );
    expect(await headingOf(page)).toBe('A hard conversation');
    expect(await page.getByText('Graded: 6 of 7').count()).toBe(1);
    expect(await page.getByText(`Thank you, ${mentees[0]!.name}: a clear plan.`).count()).toBe(1);
    await expectGoodPage(page, 'reflection-mentee-graded');
    await nurse.close();
  });
});
