import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { BrowserContext, Page } from 'playwright-core';
import { CohortMemberModel, CohortModel, PairModel } from '../../../src/cohorts';
import { CheckInAnswerModel, CheckInPromptModel } from '../../../src/cohorts/circles';
import { PairPlanModel } from '../../../src/cohorts/plans/plan.model';
import {
  CohortReflectionModel,
  ReflectionAssignmentModel,
  ReflectionVersionModel,
} from '../../../src/cohorts/reflections';
import { AttendanceModel, CohortSessionModel, occurrenceStarts } from '../../../src/cohorts/sessions';
import { SessionRatingModel } from '../../../src/cohorts/sessions/rating.model';
import { occurrenceKey } from '../../../src/cohorts/sessions/session.recurrence';
import type { SandboxPerson } from '../../../src/sandbox/sandbox';
import { ModuleCompletionModel } from '../../../src/wellbeing/player/completion.model';
import { expectAccessiblePage, screenshots, useChromium } from '../../support/browser';
import { seedCohort } from '../../support/cohorts';
import { sandboxLaunchPath } from '../../support/launch';
import { sandboxCourseIn } from '../../support/outbox';
import { useTestRounds } from '../../support/rounds';

// Every cohort page type as a mentor, a mentee, a circle's people and an administrator see it (issue 12, "Done
// when"): axe-core (WCAG 2.0–2.2 A/AA, no violation at all) at 1280 px, then the same page at 320 px without
// sideways scrolling. Pictures of both widths go to test-results/cohorts/. Data is seeded through the models.

const rounds = useTestRounds();
const browser = useChromium();
const pictures = path.join(screenshots, 'cohorts');
const contexts = new Map<SandboxPerson['key'], BrowserContext>();
/** Paths of the seeded records, filled in beforeAll. */
const at: Record<string, string> = {};

const week = 7 * 24 * 60 * 60 * 1000;

async function signedInContext(person: SandboxPerson['key']): Promise<BrowserContext> {
  const started = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await started.newPage();
  await page.goto(`${rounds.url}${sandboxLaunchPath(person)}`);
  await page.waitForURL(`${rounds.url}/home`);
  await page.close();
  return started;
}

beforeAll(async () => {
  mkdirSync(pictures, { recursive: true });
  for (const person of ['mentor', 'nurse', 'physician', 'pharmacist', 'cmeAdmin'] as const) {
    contexts.set(person, await signedInContext(person));
  }
  const course = await sandboxCourseIn(rounds);
  const [mentor, nurse, physician, pharmacist] = await Promise.all(
    ['6', '3', '4', '5'].map((sub) => course.userId(sub)),
  );

  // A mentoring cohort: Dr. García mentors the nurse and the physician; the pharmacist waits for a mentor.
  const cohortId = await seedCohort(course, {
    name: 'Residents’ mentoring 2026',
    mentors: [mentor!],
    mentees: [nurse!, physician!, pharmacist!],
    pairs: [
      [mentor!, nurse!],
      [mentor!, physician!],
    ],
  });
  await CohortModel.updateOne(
    { _id: cohortId },
    {
      $set: {
        moduleSlugs: ['stress-first-aid', 'sleep-and-recovery'],
        description: 'Monthly themes, a weekly call, and a reflection each month.',
      },
    },
  );
  await ModuleCompletionModel.create({
    tenantId: course.tenantId,
    userId: nurse,
    slug: 'stress-first-aid',
    version: 1,
    title: 'Stress First Aid',
    completedAt: new Date(Date.now() - 2 * week),
    localDate: DateTime.utc().minus({ weeks: 2 }).toISODate(),
    estimatedMinutes: 20,
  });

  const session = await seedWeeklySession(course.tenantId, cohortId, mentor!, [nurse!, physician!]);
  at.session = `/cohorts/${cohortId}/sessions/${session.id}`;
  at.attendance = `${at.session}/occurrences/${session.keys[1]}/attendance`;
  at.rating = `${at.session}/occurrences/${session.keys[1]}/rating`;

  const assignment = await ReflectionAssignmentModel.create({
    tenantId: course.tenantId,
    cohortId,
    courseId: course.courseId,
    title: 'After a hard case',
    prompt: 'Write about a case that stayed with you. What would you do again?',
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
    dueAt: new Date(Date.now() + week),
  });
  const reflection = await CohortReflectionModel.create({
    tenantId: course.tenantId,
    cohortId,
    assignmentId: assignment._id,
    menteeId: nurse,
    status: 'submitted',
    draftText: 'The night shift when the family arrived late.\nI listened first.',
    latestVersion: 1,
    submittedAt: new Date(),
  });
  const version = await ReflectionVersionModel.create({
    tenantId: course.tenantId,
    cohortId,
    assignmentId: assignment._id,
    reflectionId: reflection._id,
    menteeId: nurse,
    number: 1,
    text: 'The night shift when the family arrived late.\nI listened first.',
    submittedAt: new Date(),
  });
  at.assignment = `/cohorts/${cohortId}/reflections/${String(assignment._id)}`;
  at.assignmentEdit = `/cohorts/${cohortId}/assignments/${String(assignment._id)}/edit`;
  at.gradingVersion = `/grading/${String(version._id)}`;

  const pair = await PairModel.findOne({ cohortId, menteeId: nurse }).lean();
  await PairPlanModel.create({
    tenantId: course.tenantId,
    cohortId,
    pairId: pair!._id,
    goals: [
      {
        title: 'Lead a debrief after a critical event',
        createdAt: new Date(),
        milestones: [
          { title: 'Observe two debriefs', done: true },
          { title: 'Co-lead a debrief', targetDate: DateTime.utc().plus({ weeks: 6 }).toISODate() },
        ],
      },
    ],
  });
  at.plan = `/cohorts/${cohortId}/pairs/${String(pair!._id)}`;
  at.mentoring = `/cohorts/${cohortId}`;

  // A peer circle: the nurse (accepted the rules) and the physician (not yet) members, the pharmacist facilitating.
  const circleId = await seedCohort(course, {
    kind: 'peer-circle',
    name: 'Second-victim peer circle',
    members: [nurse!, physician!],
    facilitators: [pharmacist!],
    groundRules:
      'What is said in the circle stays in the circle.\nSpeak from your own experience.\nNo advice unless asked.',
  });
  await CohortMemberModel.updateMany(
    { cohortId: circleId, userId: { $in: [nurse, pharmacist] } },
    { $set: { rulesAcceptedAt: new Date() } },
  );
  await seedWeeklySession(course.tenantId, circleId, pharmacist!, [nurse!]);
  const prompt = await CheckInPromptModel.create({
    tenantId: course.tenantId,
    cohortId: circleId,
    text: 'What helped you most on a hard shift this week?',
    opensAt: new Date(Date.now() - 60_000),
    createdBy: pharmacist,
  });
  await CheckInAnswerModel.create({
    tenantId: course.tenantId,
    cohortId: circleId,
    promptId: prompt._id,
    userId: nurse,
    text: 'A walk outside between patients.\nTalking to the charge nurse.',
    shared: true,
    sharedAt: new Date(),
  });
  at.circle = `/cohorts/${circleId}`;
  at.checkIn = `/cohorts/${circleId}/check-ins/${String(prompt._id)}`;
});

afterAll(async () => {
  for (const context of contexts.values()) await context.close();
});

/** A weekly session that began three weeks ago, with attendance at its first two meetings and a rating. */
async function seedWeeklySession(tenantId: string, cohortId: string, leader: string, attendees: string[]) {
  const startsAt = DateTime.now()
    .setZone('America/Chicago')
    .minus({ weeks: 3 })
    .set({ hour: 18, minute: 0, second: 0, millisecond: 0 })
    .toJSDate();
  const repeatUntil = DateTime.utc().plus({ weeks: 8 }).toISODate()!;
  const session = await CohortSessionModel.create({
    tenantId,
    cohortId,
    title: 'Weekly group call',
    kind: 'group',
    location: 'Video link in the course page',
    startsAt,
    durationMinutes: 60,
    recurrence: 'weekly',
    repeatUntil,
    createdBy: leader,
  });
  const starts = occurrenceStarts({
    startsAt,
    timeZone: 'America/Chicago',
    recurrence: 'weekly',
    repeatUntil,
  });
  for (const [index, start] of starts.slice(0, 2).entries()) {
    for (const [position, userId] of attendees.entries()) {
      await AttendanceModel.create({
        tenantId,
        cohortId,
        sessionId: session._id,
        occurrenceStart: start,
        userId,
        present: index === 1 || position === 0,
        recordedBy: leader,
        recordedAt: new Date(),
      });
    }
  }
  await SessionRatingModel.create({
    tenantId,
    cohortId,
    sessionId: session._id,
    occurrenceStart: starts[0],
    userId: attendees[0],
    score: 4,
    comment: '',
    ratedAt: new Date(),
  });
  return { id: String(session._id), keys: starts.map((start) => occurrenceKey(start)) };
}

/** Then: accessible at 1280 px (axe, one h1), and at 320 px nothing scrolls sideways; pictures at both widths. */
async function expectGoodPage(page: Page, name: string): Promise<void> {
  await expectAccessiblePage(page, path.join('cohorts', `${name}-1280`));
  await page.setViewportSize({ width: 320, height: 900 });
  await page.screenshot({ path: path.join(pictures, `${name}-320.png`), fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function open(person: SandboxPerson['key'], address: string): Promise<Page> {
  const page = await contexts.get(person)!.newPage();
  const response = await page.goto(`${rounds.url}${address}`);
  expect(response?.status()).toBe(200);
  return page;
}

/** [picture name, who, where (a key of `at` and a rest, or a path), heading]. */
const pages: Array<[string, SandboxPerson['key'], () => string, RegExp]> = [
  // Peer circles and dashboards (this file's own part).
  ['overview-mentor', 'mentor', () => at.mentoring!, /Residents’ mentoring 2026/],
  ['overview-mentee', 'nurse', () => at.mentoring!, /Residents’ mentoring 2026/],
  ['overview-mentee-unpaired', 'pharmacist', () => at.mentoring!, /Residents’ mentoring 2026/],
  ['health-mentoring-admin', 'cmeAdmin', () => `${at.mentoring}/health`, /Cohort health/],
  ['overview-circle-member', 'nurse', () => at.circle!, /Second-victim peer circle/],
  ['overview-circle-facilitator', 'pharmacist', () => at.circle!, /Second-victim peer circle/],
  ['overview-circle-instructor', 'mentor', () => at.circle!, /Second-victim peer circle/],
  ['circle-rules-to-accept', 'physician', () => `${at.circle}/rules`, /Ground rules/],
  ['circle-check-ins-facilitator', 'pharmacist', () => `${at.circle}/check-ins`, /Check-ins/],
  ['circle-check-ins-instructor', 'mentor', () => `${at.circle}/check-ins`, /Check-ins/],
  ['circle-check-in-member', 'nurse', () => at.checkIn!, /Check-in/],
  ['health-circle-instructor', 'mentor', () => `${at.circle}/health`, /Cohort health/],
  // Cohorts and people (core).
  ['cohorts-list-mentee', 'nurse', () => '/cohorts', /./],
  ['cohorts-list-admin', 'cmeAdmin', () => '/cohorts', /./],
  ['cohort-new', 'mentor', () => '/cohorts/new', /./],
  ['cohort-settings', 'mentor', () => `${at.mentoring}/settings`, /./],
  ['cohort-people', 'mentor', () => `${at.mentoring}/people`, /./],
  // Matching and plans.
  ['profile-mentee', 'nurse', () => `${at.mentoring}/profile`, /./],
  ['profile-mentor', 'mentor', () => `${at.mentoring}/profile`, /./],
  ['change-request-mentee', 'nurse', () => `${at.mentoring}/change-request`, /./],
  ['matching-admin', 'cmeAdmin', () => `${at.mentoring}/matching`, /./],
  ['plan-mentee', 'nurse', () => at.plan!, /./],
  ['plan-mentor', 'mentor', () => at.plan!, /./],
  ['plan-goal-new', 'nurse', () => `${at.plan}/goals/new`, /./],
  // Sessions.
  ['sessions-mentee', 'nurse', () => `${at.mentoring}/sessions`, /./],
  ['sessions-circle-member', 'nurse', () => `${at.circle}/sessions`, /./],
  ['session-new-mentor', 'mentor', () => `${at.mentoring}/sessions/new`, /./],
  ['session-mentor', 'mentor', () => at.session!, /./],
  ['session-attendance-mentor', 'mentor', () => at.attendance!, /./],
  ['session-rating-mentee', 'nurse', () => at.rating!, /./],
  ['calendar-mentee', 'nurse', () => '/calendar', /./],
  // Reflections and grading.
  ['reflections-mentee', 'nurse', () => `${at.mentoring}/reflections`, /./],
  ['reflection-mentee', 'nurse', () => at.assignment!, /./],
  ['grading-queue-mentor', 'mentor', () => '/grading', /./],
  ['grading-mentor', 'mentor', () => at.gradingVersion!, /./],
  ['assignments-admin', 'cmeAdmin', () => `${at.mentoring}/assignments`, /./],
  ['assignment-new-admin', 'cmeAdmin', () => `${at.mentoring}/assignments/new`, /./],
  ['assignment-edit-admin', 'cmeAdmin', () => at.assignmentEdit!, /./],
  // External mentors.
  ['invitations-admin', 'cmeAdmin', () => `${at.mentoring}/invitations`, /./],
];

it.each(pages)(
  'when the %s page opens, then it passes axe and reflows at 320 px',
  async (name, person, address, heading) => {
    const page = await open(person, address());
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(heading);
    await expectGoodPage(page, name);
    await page.close();
  },
);

it('when a circle member posts the ground rules without ticking the box, then the error page passes axe and reflows', async () => {
  const page = await open('physician', `${at.circle}/rules`);
  await page.getByRole('button', { name: 'Accept and join the circle' }).click();
  await page.getByRole('alert').waitFor();
  await expectGoodPage(page, 'circle-rules-error');
  await page.close();
});

it('when a member sends an empty check-in answer, then the error page passes axe, reflows, and the choice is kept', async () => {
  const page = await open('physician', `${at.circle}/rules`);
  await page.getByRole('checkbox', { name: /I have read these ground rules/ }).check();
  await page.getByRole('button', { name: 'Accept and join the circle' }).click();
  await page.waitForURL(`${rounds.url}${at.circle}?done=rules-accepted`);
  await page.goto(`${rounds.url}${at.checkIn}`);
  await page.getByRole('radio', { name: 'Share with the circle' }).check();
  await page.getByRole('button', { name: 'Save answer' }).click();
  await page.getByRole('alert').waitFor();
  expect(await page.getByRole('radio', { name: 'Share with the circle' }).isChecked()).toBe(true);
  await expectGoodPage(page, 'circle-check-in-error');
  await page.close();
});
