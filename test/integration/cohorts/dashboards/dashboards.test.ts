import { DateTime } from 'luxon';
import { CohortMemberModel, CohortModel, PairModel } from '../../../../src/cohorts';
import { CheckInPromptModel } from '../../../../src/cohorts/circles';
import { PairPlanModel } from '../../../../src/cohorts/plans/plan.model';
import {
  CohortReflectionModel,
  ReflectionAssignmentModel,
  ReflectionVersionModel,
} from '../../../../src/cohorts/reflections';
import { AttendanceModel, CohortSessionModel } from '../../../../src/cohorts/sessions';
import { SessionRatingModel } from '../../../../src/cohorts/sessions/rating.model';
import { ModuleCompletionModel } from '../../../../src/wellbeing/player/completion.model';
import {
  adminAgent,
  decodeHtml,
  sandboxCourseIn,
  seedCohort,
  signedInAs,
  useTestRounds,
  type Agent,
  type SandboxCourse,
} from '../../../support';
import { phq2Answers, savedResult } from '../../wellbeing/results/takeCheck';

const rounds = useTestRounds();
let course: SandboxCourse;
let nurse: Agent;
let physician: Agent;
let pharmacist: Agent;
/** Dr. García: mentor of the nurse and the physician, and an instructor of the course. */
let mentor: Agent;
let admin: Agent;
let ids: Record<'nurse' | 'physician' | 'pharmacist' | 'mentor', string>;
let cohortId: string;
let circleId: string;

const week = 7 * 24 * 60 * 60 * 1000;

/** A weekly session that began three weeks ago, with attendance taken at its first two meetings and three ratings. */
async function seedSessions(forCohort: string, attendees: Array<[string, boolean, boolean]>) {
  const startsAt = DateTime.utc().minus({ weeks: 3 }).startOf('hour').toJSDate();
  const session = await CohortSessionModel.create({
    tenantId: course.tenantId,
    cohortId: forCohort,
    title: 'Weekly group call',
    kind: 'group',
    location: 'Video link in the course',
    startsAt,
    durationMinutes: 60,
    recurrence: 'weekly',
    repeatUntil: DateTime.utc().plus({ weeks: 10 }).toISODate(),
    createdBy: ids.mentor,
  });
  const meetings = [startsAt, new Date(startsAt.getTime() + week)];
  for (const [userId, first, second] of attendees) {
    for (const [index, present] of [first, second].entries()) {
      await AttendanceModel.create({
        tenantId: course.tenantId,
        cohortId: forCohort,
        sessionId: session._id,
        occurrenceStart: meetings[index],
        userId,
        present,
        recordedBy: ids.mentor,
        recordedAt: new Date(),
      });
    }
  }
  return { session, meetings };
}

beforeAll(async () => {
  nurse = (await signedInAs(rounds, 'nurse')).agent;
  physician = (await signedInAs(rounds, 'physician')).agent;
  pharmacist = (await signedInAs(rounds, 'pharmacist')).agent;
  mentor = (await signedInAs(rounds, 'mentor')).agent;
  admin = await adminAgent(rounds);
  course = await sandboxCourseIn(rounds);
  ids = {
    nurse: await course.userId('3'),
    physician: await course.userId('4'),
    pharmacist: await course.userId('5'),
    mentor: await course.userId('6'),
  };

  cohortId = await seedCohort(course, {
    name: 'Residents’ mentoring 2026',
    mentors: [ids.mentor],
    mentees: [ids.nurse, ids.physician, ids.pharmacist],
    pairs: [
      [ids.mentor, ids.nurse],
      [ids.mentor, ids.physician],
    ],
  });
  await CohortModel.updateOne(
    { _id: cohortId },
    {
      $set: {
        moduleSlugs: ['stress-first-aid', 'sleep-and-recovery'],
        description: 'Monthly themes.\nWeekly calls.',
      },
    },
  );
  await ModuleCompletionModel.create({
    tenantId: course.tenantId,
    userId: ids.nurse,
    slug: 'stress-first-aid',
    version: 1,
    title: 'Stress First Aid',
    completedAt: new Date('2026-03-10T15:00:00Z'),
    localDate: '2026-03-10',
    estimatedMinutes: 20,
  });
  // A positive screen of the nurse's own: it must never reach her mentor or the health page.
  await savedResult(nurse, 'phq-2', phq2Answers(5));

  const { session, meetings } = await seedSessions(cohortId, [
    [ids.nurse, true, true],
    [ids.physician, false, true],
  ]);
  for (const [userId, score, comment] of [
    [ids.nurse, 5, 'Good pace'],
    [ids.physician, 4, 'Useful cases'],
    [ids.mentor, 4, ''],
  ] as const) {
    await SessionRatingModel.create({
      tenantId: course.tenantId,
      cohortId,
      sessionId: session._id,
      occurrenceStart: meetings[1],
      userId,
      score,
      comment,
      ratedAt: new Date(),
    });
  }

  const assignment = await ReflectionAssignmentModel.create({
    tenantId: course.tenantId,
    cohortId,
    courseId: course.courseId,
    title: 'After a hard case',
    prompt: 'Write about a case that stayed with you.',
    rubric: {
      criteria: [
        {
          title: 'Insight',
          levels: [
            { label: 'Some', points: 5 },
            { label: 'Deep', points: 10 },
          ],
        },
      ],
    },
    scoreMaximum: 10,
    dueAt: new Date(Date.now() - week),
  });
  const reflection = await CohortReflectionModel.create({
    tenantId: course.tenantId,
    cohortId,
    assignmentId: assignment._id,
    menteeId: ids.nurse,
    status: 'graded',
    latestVersion: 1,
    submittedAt: new Date(Date.now() - 2 * week),
  });
  await ReflectionVersionModel.create({
    tenantId: course.tenantId,
    cohortId,
    assignmentId: assignment._id,
    reflectionId: reflection._id,
    menteeId: ids.nurse,
    number: 1,
    text: 'The night shift when…',
    submittedAt: new Date(Date.now() - 2 * week),
    status: 'graded',
    feedback: 'Thoughtful work on what you would do differently.',
    score: 8,
    scoreMaximum: 10,
    gradedBy: ids.mentor,
    gradedAt: new Date(),
  });

  const pair = await PairModel.findOne({ cohortId, menteeId: ids.nurse }).lean();
  await PairPlanModel.create({
    tenantId: course.tenantId,
    cohortId,
    pairId: pair!._id,
    goals: [
      {
        title: 'Lead a debrief',
        createdAt: new Date(),
        milestones: [
          { title: 'Observe a debrief', done: true },
          { title: 'Co-lead a debrief', targetDate: '2026-12-15' },
        ],
      },
    ],
  });

  circleId = await seedCohort(course, {
    kind: 'peer-circle',
    name: 'Second-victim peer circle',
    members: [ids.nurse, ids.physician],
    facilitators: [ids.pharmacist],
    groundRules: 'What is said here stays here.',
  });
  await CohortMemberModel.updateMany(
    { cohortId: circleId, userId: { $in: [ids.nurse, ids.pharmacist] } },
    { $set: { rulesAcceptedAt: new Date('2026-03-02T15:00:00Z') } },
  );
  await seedSessions(circleId, [[ids.nurse, true, false]]);
  await CheckInPromptModel.create({
    tenantId: course.tenantId,
    cohortId: circleId,
    text: 'What helped you this week?',
    opensAt: new Date(Date.now() - 60_000),
    createdBy: ids.pharmacist,
  });
});

const page = async (agent: Agent, path: string) => decodeHtml((await agent.get(path).expect(200)).text);

/** Nothing of a self-check may appear on a cohort page. */
function expectNoWellbeingResults(html: string) {
  for (const word of ['PHQ', 'GAD', 'depress', 'anxiety', 'positive screen', '988 Lifeline']) {
    expect(html).not.toContain(word);
  }
  expect(html).not.toContain('/wellbeing/results');
}

describe('the mentor’s overview', () => {
  it('when the mentor opens the cohort, then they see their queue, each mentee’s modules and attendance, and upcoming sessions', async () => {
    const html = await page(mentor, `/cohorts/${cohortId}`);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toContain('<h1>Residents’ mentoring 2026</h1>');
    expect(html).toMatch(/<span class="dashboard-counts__number">1<\/span> graded/);
    expect(html).toContain('href="/grading"');
    // Rows by name: Dr. Priya Raman, then Nora Okafor.
    const physicianRow = html.slice(html.indexOf('Dr. Priya Raman'), html.indexOf('Nora Okafor, RN'));
    const nurseRow = html.slice(html.indexOf('Nora Okafor, RN'));
    expect(nurseRow).toContain('1 of 2');
    expect(nurseRow).toContain('Stress First Aid');
    expect(nurseRow).toContain('(done 10 March 2026)');
    expect(nurseRow).toMatch(/Sessions attended">\s*2 of 2/);
    expect(physicianRow).toMatch(/Sessions attended">\s*1 of 2/);
    // The unpaired mentee is not theirs.
    expect(html).not.toContain('Marcus Lee');
    expect(html).toContain('Weekly group call');
    expect(html).toMatch(
      /<time datetime="[^"]+">[A-Z][a-z]+day \d+ [A-Z][a-z]+ 20\d\d, \d\d:\d\d–\d\d:\d\d C[SD]T<\/time>/,
    );
  });

  it('when a mentee has a positive self-check, then nothing of it shows on any cohort page', async () => {
    expectNoWellbeingResults(await page(mentor, `/cohorts/${cohortId}`));
    expectNoWellbeingResults(await page(mentor, `/cohorts/${cohortId}/health`));
    expectNoWellbeingResults(await page(admin, `/cohorts/${cohortId}/health`));
  });
});

describe('the mentee’s overview', () => {
  it('when the nurse opens the cohort, then she sees her mentor, goals, next session, her graded reflection and feedback', async () => {
    const html = await page(nurse, `/cohorts/${cohortId}`);
    expect(html).toContain('Dr. Elena García');
    expect(html).toContain(
      '<strong>Lead a debrief</strong>: 1 of 2 milestones done; next: Co-lead a debrief (by 15 December 2026)',
    );
    expect(html).toContain('Weekly group call');
    expect(html).toContain('After a hard case');
    expect(html).toContain('Graded');
    expect(html).toContain('Grade: 8 of 10 points');
    expect(html).toContain('Thoughtful work on what you would do differently.');
    expect(html).toContain('Monthly themes.\nWeekly calls.');
    // Her own modules: one done, the other a link to start it.
    expect(html).toContain('(done 10 March 2026)');
    expect(html).toContain('href="/modules/sleep-and-recovery"');
    expect(html).not.toContain('Dr. Priya Raman');
    expect(html).not.toContain('Cohort health');
  });

  it('when a mentee has no mentor yet, then the page says so kindly', async () => {
    const html = await page(pharmacist, `/cohorts/${cohortId}`);
    expect(html).toContain('You do not have a mentor in this cohort yet.');
  });
});

describe('cohort health', () => {
  it('when an instructor opens it, then pairs, unmatched mentees, missing profiles, overdue reflections, an attendance chart and ratings show', async () => {
    const html = await page(mentor, `/cohorts/${cohortId}/health`);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toMatch(/<span class="dashboard-counts__number">2<\/span> active pairs/);
    expect(html).toMatch(
      /Mentees without a mentor<\/h3>\s*<ul class="dashboard-names"><li>Marcus Lee, PharmD<\/li>/,
    );
    expect(html).toContain('Matching profiles missing');
    expect(html).toContain('Dr. Elena García <span class="muted">(mentor)</span>');
    expect(html).toMatch(/<span class="dashboard-counts__number">2<\/span> reflections past their due date/);
    // The chart: an image with its words, and the same figures in a table.
    expect(html).toMatch(/role="img"\s+aria-labelledby="attendance-chart-title attendance-chart-desc"/);
    expect(html).toContain('Weekly group call on');
    expect(html).toContain(': 50 % (1 of 2)');
    expect(html).toContain(': 100 % (2 of 2)');
    expect(html).toContain('Overall: <strong>75 %</strong>');
    expect(html).toMatch(/<td data-label="Present">1 of 2<\/td>\s*<td data-label="Rate">50 %<\/td>/);
    // Ratings as aggregates: the count, the mean, the distribution, comments from three ratings on, no names.
    expect(html).toContain('3 ratings: 1 rated 5 of 5, 2 rated 4 of 5, 0 rated 3 of 5');
    expect(html).toMatch(/<td data-label="Average">4.3<\/td>/);
    expect(html).toContain('0 / 0 / 0 / 2 / 1');
    expect(html).toContain('Good pace');
    const comments = html.slice(html.indexOf('Comments on'));
    expect(comments).not.toContain('Nora');
    expect(comments).not.toContain('Priya');
  });

  it('when the tenant administrator opens it, then it shows; a mentee or someone outside gets 403, another id 404', async () => {
    expect((await admin.get(`/cohorts/${cohortId}/health`)).status).toBe(200);
    expect((await nurse.get(`/cohorts/${cohortId}/health`)).status).toBe(403);
    expect((await pharmacist.get(`/cohorts/${circleId}/health`)).status).toBe(403);
    expect((await mentor.get('/cohorts/000000000000000000000000/health')).status).toBe(404);
    expect((await mentor.get('/cohorts/000000000000000000000000')).status).toBe(404);
  });

  it('when the cohort is a circle, then its health shows rules accepted and check-in participation as counts only', async () => {
    const html = await page(mentor, `/cohorts/${circleId}/health`);
    expect(html).toContain(
      '<strong>2 of 3</strong> members and facilitators have accepted the ground rules.',
    );
    expect(html).toContain('What helped you this week?');
    expect(html).toMatch(/<td data-label="Answered">0 of 2<\/td>/);
    expect(html).not.toContain('active pairs');
    expect(html).not.toContain('Overdue reflections');
  });
});

describe('the circle’s overview', () => {
  it('when a member who accepted opens it, then the next session, latest check-ins and the ground rules show', async () => {
    const html = await page(nurse, `/cohorts/${circleId}`);
    expect(html).toContain('Peer-support circle');
    expect(html).toContain('Weekly group call');
    expect(html).toContain('What helped you this week?');
    expect(html).toContain('Not answered yet');
    expect(html).toContain('What is said here stays here.');
    expect(html).toContain('You accepted them on 2 March 2026.');
    expect(html).not.toContain('Your grading queue');
  });

  it('when a member has not accepted the rules, then the overview sends them to the rules', async () => {
    const response = await physician.get(`/cohorts/${circleId}`);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/cohorts/${circleId}/rules`);
  });

  it('when a learner is in neither cohort, then 403', async () => {
    const other = await seedCohort(course, { mentors: [ids.mentor], mentees: [ids.physician] });
    expect((await nurse.get(`/cohorts/${other}`)).status).toBe(403);
  });
});
