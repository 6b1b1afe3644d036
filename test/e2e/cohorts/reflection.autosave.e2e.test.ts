import type { BrowserContext, Page } from 'playwright-core';
import { CohortReflectionModel, ReflectionAssignmentModel } from '../../../src/cohorts/reflections';
import { useChromium } from '../../support/browser';
import { sandboxLaunchPath, signedInAs } from '../../support/launch';
import { sandboxCourseIn } from '../../support/outbox';
import { seedCohort } from '../../support/cohorts';
import { useTestRounds } from '../../support/rounds';

// The mentee's autosave (issue 12, item 5: "autosaved, never lost on a dropped connection"): text typed while the
// connection is down is kept on the device and saved when the page opens again; after another window saved
// (409) the page stops overwriting and, on reload, offers the text kept on this device instead of losing it.

const rounds = useTestRounds();
const browser = useChromium();
let context: BrowserContext;
let writePath: string;
let menteeId: string;
let assignmentId: string;

beforeAll(async () => {
  await signedInAs(rounds, 'mentor');
  await signedInAs(rounds, 'nurse');
  const course = await sandboxCourseIn(rounds);
  const mentorId = await course.userId('6');
  menteeId = await course.userId('3');
  const cohortId = await seedCohort(course, {
    mentors: [mentorId],
    mentees: [menteeId],
    pairs: [[mentorId, menteeId]],
  });
  const assignment = await ReflectionAssignmentModel.create({
    tenantId: course.tenantId,
    cohortId,
    courseId: course.courseId,
    title: 'A night shift',
    prompt: 'What helped you through your last night shift?',
    rubric: {
      criteria: [
        {
          title: 'Insight',
          levels: [
            { label: 'Emerging', points: 1 },
            { label: 'Proficient', points: 3 },
          ],
        },
      ],
    },
    scoreMaximum: 3,
    dueAt: new Date('2099-03-31T22:00:00Z'),
  });
  assignmentId = String(assignment._id);
  writePath = `${rounds.url}/cohorts/${cohortId}/reflections/${assignmentId}`;
  context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${rounds.url}${sandboxLaunchPath('nurse')}`);
  await page.waitForURL(`${rounds.url}/home`);
  await page.close();
});

afterAll(async () => {
  await context?.close();
});

const draftText = async () =>
  (await CohortReflectionModel.findOne({ assignmentId, menteeId }).lean())?.draftText ?? '';

async function openWriting(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(writePath);
  return page;
}

it('when the connection drops while she types, then the text is kept on the device and saved when the page opens again', async () => {
  const page = await openWriting();
  await page.locator('#reflection-text').fill('At 3 a.m. the ward was quiet.');
  await page.waitForFunction(() =>
    /Saved at/.test(document.querySelector('[data-autosave-status]')!.textContent!),
  );
  expect(await draftText()).toBe('At 3 a.m. the ward was quiet.');

  await page.route('**/draft', (route) => route.abort('internetdisconnected'));
  await page
    .locator('#reflection-text')
    .fill('At 3 a.m. the ward was quiet.\nI called my mentor in the morning.');
  await page.waitForFunction(
    () => /offline/.test(document.querySelector('[data-autosave-status]')!.textContent!),
    {
      timeout: 10_000,
    },
  );
  await page.close();
  expect(await draftText()).toBe('At 3 a.m. the ward was quiet.');

  const again = await openWriting();
  expect(await again.locator('#reflection-text').inputValue()).toBe(
    'At 3 a.m. the ward was quiet.\nI called my mentor in the morning.',
  );
  await again.waitForFunction(() =>
    /Saved at/.test(document.querySelector('[data-autosave-status]')!.textContent!),
  );
  expect(await draftText()).toBe('At 3 a.m. the ward was quiet.\nI called my mentor in the morning.');
  await again.close();
});

it('when another window saved first (409), then this one stops overwriting and, reloaded, offers its own text back', async () => {
  const stale = await openWriting();
  const fresh = await openWriting();
  await fresh.locator('#reflection-text').fill('Text from the other window.');
  await fresh.waitForFunction(() =>
    /Saved at/.test(document.querySelector('[data-autosave-status]')!.textContent!),
  );
  await fresh.close();

  let posts = 0;
  stale.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/draft')) posts += 1;
  });
  await stale.locator('#reflection-text').fill('Text from the stale window.');
  await stale.waitForFunction(() =>
    /another window or device/.test(document.querySelector('[data-autosave-status]')!.textContent!),
  );
  await stale.locator('#reflection-text').fill('Text from the stale window, and more.');
  await stale.waitForTimeout(3_500);
  expect(posts).toBe(1);
  expect(await draftText()).toBe('Text from the other window.');

  await stale.reload();
  expect(await stale.locator('#reflection-text').inputValue()).toBe('Text from the other window.');
  await stale.getByRole('button', { name: 'Use the text kept on this device' }).click();
  expect(await stale.locator('#reflection-text').inputValue()).toBe('Text from the stale window, and more.');
  await stale.waitForFunction(() =>
    /Saved at/.test(document.querySelector('[data-autosave-status]')!.textContent!),
  );
  expect(await draftText()).toBe('Text from the stale window, and more.');
  await stale.close();
});
