import mongoose from 'mongoose';
import request from 'supertest';
import { AttendanceModel, CohortSessionModel } from '../../../../src/cohorts/sessions';
import { CmeActivityModel } from '../../../../src/cme/core';
import { requirementsFor } from '../../../../src/cme/requirements';
import { EvaluationResponseModel } from '../../../../src/cme/requirements/evaluation.model';
import { PostTestAttemptModel } from '../../../../src/cme/requirements/postTest.model';
import { TenantModel } from '../../../../src/tenancy';
import { ModuleCompletionModel } from '../../../../src/wellbeing/player/completion.model';
import {
  decodeHtml,
  postForm,
  sandboxCourseIn,
  seedCohort,
  signedInAs,
  useTestRounds,
  type Agent,
  type SandboxCourse,
} from '../../../support';

const rounds = useTestRounds();
let physician: Agent;
let course: SandboxCourse;
let physicianId: string;
let cohortId: string;

const key = 'burnout-series';
const postTestPath = `/cme/activities/${key}/post-test`;
const evaluationPath = `/cme/activities/${key}/evaluation`;

function activityFields(overrides: Record<string, unknown> = {}) {
  return {
    tenantId: course.tenantId,
    key,
    version: 1,
    status: 'published',
    title: 'Burnout in residency',
    format: 'enduring',
    providerName: 'Mercy Health CME',
    accreditation: 'joint',
    accreditationStatement: 'Mercy Health is jointly accredited.',
    startDate: '2025-01-01',
    endDate: '2027-12-31',
    designations: [{ creditType: 'ama-pra-1', maximum: 2, statement: 'Mercy Health designates…' }],
    ...overrides,
  };
}

const postTest = {
  passPercent: 75,
  questions: [
    {
      text: 'Which color is the Injured zone?',
      kind: 'choice',
      options: ['Yellow', 'Orange', 'Red'],
      correct: 1,
    },
    { text: 'Who may call 988?', kind: 'choice', options: ['Physicians only', 'Anyone'], correct: 1 },
  ],
};

beforeAll(async () => {
  physician = (await signedInAs(rounds, 'physician')).agent;
  course = await sandboxCourseIn(rounds);
  physicianId = await course.userId('4');
  await TenantModel.updateOne({ _id: course.tenantId }, { $set: { timeZone: 'America/Chicago' } });
  cohortId = await seedCohort(course, { name: 'Resident wellness', mentees: [physicianId] });
  await CmeActivityModel.create(
    activityFields({
      requirements: {
        moduleSlugs: ['stress-first-aid', 'after-a-hard-case'],
        sessions: { cohortId, count: 2 },
        postTest,
        evaluationRequired: true,
        evaluationQuestions: [
          { text: 'The activity met its stated objectives.', kind: 'scale' },
          { text: 'What will you do differently?', kind: 'text' },
        ],
      },
    }),
  );
});

const learner = () => ({ tenantId: course.tenantId, userId: physicianId });
const current = async () => (await CmeActivityModel.findOne({ tenantId: course.tenantId, key }).lean())!;

async function completeModule(userId: string, slug: string, completedAt: Date) {
  await ModuleCompletionModel.create({
    tenantId: course.tenantId,
    userId,
    slug,
    version: 1,
    title: slug,
    completedAt,
    localDate: completedAt.toISOString().slice(0, 10),
    estimatedMinutes: 20,
  });
}

describe('requirements before anything is done', () => {
  it('when the physician has done nothing, then every requirement is unmet, named, with a link to meet it', async () => {
    const report = await requirementsFor(learner(), await current());
    expect(report.allMet).toBe(false);
    expect(report.completionDate).toBeNull();
    expect(report.requirements.map((item) => [item.label, item.met, item.link])).toEqual([
      ['Complete the module “Stress First Aid for clinical teams”', false, '/modules/stress-first-aid'],
      ['Complete the module “After a hard case”', false, '/modules/after-a-hard-case'],
      ['Attend 2 sessions of “Resident wellness”', false, `/cohorts/${cohortId}/sessions`],
      ['Pass the post-test (pass mark 75%)', false, postTestPath],
      ['Complete the activity evaluation', false, evaluationPath],
    ]);
  });

  it('when she opens the evaluation first, then it lists what to finish first, and a posted evaluation is refused', async () => {
    const page = decodeHtml((await physician.get(evaluationPath).expect(200)).text);
    expect(page).toContain('Finish these first');
    expect(page).toContain(
      '<a href="/modules/stress-first-aid">Complete the module “Stress First Aid for clinical teams”</a>',
    );
    expect(page).not.toContain('Submit evaluation');
    const refused = await postForm(physician, evaluationPath, evaluationPath, { answer0: '5' });
    expect(refused.status).toBe(403);
    expect(decodeHtml(refused.text)).toContain(
      'Still required: Complete the module “Stress First Aid for clinical teams”',
    );
    expect(await EvaluationResponseModel.countDocuments({ userId: physicianId })).toBe(0);
  });
});

describe('the post-test', () => {
  it('when someone without a session opens it, then 401', async () => {
    await request(rounds.url).get(postTestPath).set('Accept', 'text/html').expect(401);
  });

  it('when she opens it, then the pass mark is announced before the questions', async () => {
    const page = decodeHtml((await physician.get(postTestPath).expect(200)).text);
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    const passMark = page.indexOf('To pass you need <strong>75%</strong> of the 2 questions right');
    expect(passMark).toBeGreaterThan(0);
    expect(passMark).toBeLessThan(page.indexOf('Question 1. Which color is the Injured zone?'));
  });

  it('when a question is left unanswered, then 400 with the message at that question and the other answer kept', async () => {
    const response = await postForm(physician, postTestPath, postTestPath, { answer0: '1' });
    expect(response.status).toBe(400);
    const page = decodeHtml(response.text);
    expect(page).toContain('<a href="#answer1">Choose an answer to question 2.</a>');
    expect(page).toMatch(/id="answer0-1" name="answer0" value="1" checked/);
    expect(await PostTestAttemptModel.countDocuments({ userId: physicianId })).toBe(0);
  });

  it('when she scores below the pass mark, then she sees her score and may try again; the attempt is kept', async () => {
    const response = await postForm(physician, postTestPath, postTestPath, { answer0: '1', answer1: '0' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`${postTestPath}?attempt=1#result`);
    const page = decodeHtml((await physician.get(`${postTestPath}?attempt=1`).expect(200)).text);
    expect(page).toContain('Not passed yet');
    expect(page).toContain('You scored <strong>50%</strong>; the pass mark is 75%.');
    expect(page).toContain('Submit answers');
    const report = await requirementsFor(learner(), await current());
    expect(report.requirements[3]).toMatchObject({
      met: false,
      detail: 'Not passed yet: your best score is 50%, the pass mark 75%.',
    });
  });

  it('when she passes, then the requirement is met and the page leads on to the claim instead of the questions', async () => {
    const response = await postForm(physician, postTestPath, postTestPath, { answer0: '1', answer1: '1' });
    expect(response.headers.location).toBe(`${postTestPath}?attempt=2#result`);
    const page = decodeHtml((await physician.get(`${postTestPath}?attempt=2`).expect(200)).text);
    expect(page).toContain('You passed');
    expect(page).toContain(`href="/cme/activities/${key}"`);
    expect(page).not.toContain('Submit answers');
    const attempts = await PostTestAttemptModel.find({ userId: physicianId }).sort({ attempt: 1 }).lean();
    expect(attempts.map((attempt) => [attempt.attempt, attempt.score, attempt.passed])).toEqual([
      [1, 50, false],
      [2, 100, true],
    ]);
    expect((await requirementsFor(learner(), await current())).requirements[3]!.met).toBe(true);
  });
});

describe('modules, sessions and the evaluation', () => {
  it('when the modules are completed and two sessions attended, then those are met and the evaluation opens', async () => {
    await completeModule(physicianId, 'stress-first-aid', new Date('2025-03-02T15:00:00Z'));
    await completeModule(physicianId, 'after-a-hard-case', new Date('2025-03-03T15:00:00Z'));
    const session = await CohortSessionModel.create({
      tenantId: course.tenantId,
      cohortId,
      title: 'Debrief circle',
      kind: 'group',
      startsAt: new Date('2025-03-04T18:00:00Z'),
      durationMinutes: 60,
      createdBy: physicianId,
    });
    for (const [start, present] of [
      ['2025-03-04T18:00:00Z', true],
      ['2025-03-11T18:00:00Z', false],
      ['2025-03-18T18:00:00Z', true],
    ] as const) {
      await AttendanceModel.create({
        tenantId: course.tenantId,
        cohortId,
        sessionId: session._id,
        occurrenceStart: new Date(start),
        userId: physicianId,
        present,
        recordedBy: physicianId,
        recordedAt: new Date(start),
      });
    }
    const report = await requirementsFor(learner(), await current());
    expect(report.requirements.map((item) => item.met)).toEqual([true, true, true, true, false]);
    expect(report.requirements[2]).toMatchObject({
      detail: '2 of 2 attended.',
      metAt: new Date('2025-03-18T19:00:00Z'),
    });

    const page = decodeHtml((await physician.get(evaluationPath).expect(200)).text);
    expect(page).not.toContain('Finish these first');
    expect(page).toContain('<legend>1. The activity met its stated objectives.</legend>');
    expect(page).toContain('<label for="answer1">2. What will you do differently?</label>');
  });

  it('when a scale question is left out, then 400 with the message at it and the text typed kept', async () => {
    const response = await postForm(physician, evaluationPath, evaluationPath, { answer1: 'Take breaks' });
    expect(response.status).toBe(400);
    const page = decodeHtml(response.text);
    expect(page).toContain('<a href="#answer0">Choose how far you agree with statement 1.</a>');
    expect(page).toContain('>Take breaks</textarea>');
  });

  it('when she submits it twice, then one response is kept, every requirement is met, dated in Chicago', async () => {
    const fields = { answer0: '4', answer1: 'Take breaks' };
    const first = await postForm(physician, evaluationPath, evaluationPath, fields);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(`/cme/activities/${key}?done=evaluated`);
    await postForm(physician, evaluationPath, evaluationPath, { ...fields, answer1: 'Again' });
    const responses = await EvaluationResponseModel.find({ userId: physicianId }).lean();
    expect(responses).toHaveLength(1);
    expect(responses[0]!.answers.map((answer) => answer.answer)).toEqual(['4', 'Take breaks']);

    const report = await requirementsFor(learner(), await current());
    expect(report.allMet).toBe(true);
    expect(report.completedAt).toEqual(responses[0]!.submittedAt);
    expect(report.timeZone).toBe('America/Chicago');
    const page = decodeHtml((await physician.get(evaluationPath).expect(200)).text);
    expect(page).toContain('Thank you: evaluation submitted');
  });
});

describe('completion date and tenancy', () => {
  it('when the last requirement was met at 23:30 in Chicago, then the completion date is that Chicago date', async () => {
    const nurseId = await (async () => {
      await signedInAs(rounds, 'nurse');
      return course.userId('3');
    })();
    await CmeActivityModel.create(
      activityFields({
        key: 'late-night',
        requirements: { moduleSlugs: ['sleep-and-recovery'], evaluationRequired: false },
      }),
    );
    // 23:30 on 14 March 2025 in Chicago (CDT) is 04:30 on 15 March in UTC.
    await completeModule(nurseId, 'sleep-and-recovery', new Date('2025-03-15T04:30:00Z'));
    const activity = (await CmeActivityModel.findOne({
      tenantId: course.tenantId,
      key: 'late-night',
    }).lean())!;
    const report = await requirementsFor({ tenantId: course.tenantId, userId: nurseId }, activity);
    expect(report).toMatchObject({ allMet: true, completionDate: '2025-03-14' });
    expect(report.completedAt).toEqual(new Date('2025-03-15T04:30:00Z'));
  });

  it('when a page names a draft activity or another tenant’s, then 404', async () => {
    await CmeActivityModel.create(
      activityFields({ key: 'draft-one', status: 'draft', requirements: { postTest } }),
    );
    await CmeActivityModel.create(
      activityFields({
        tenantId: new mongoose.Types.ObjectId(),
        key: 'elsewhere',
        requirements: { postTest },
      }),
    );
    for (const path of [
      '/cme/activities/draft-one/post-test',
      '/cme/activities/elsewhere/post-test',
      '/cme/activities/elsewhere/evaluation',
      '/cme/activities/no-such/evaluation',
    ]) {
      expect((await physician.get(path).set('Accept', 'text/html')).status).toBe(404);
    }
  });

  it('when asked about another tenant’s activity, then requirementsFor refuses', async () => {
    const elsewhere = (await CmeActivityModel.findOne({ key: 'elsewhere' }).lean())!;
    await expect(requirementsFor(learner(), elsewhere)).rejects.toThrow(/another tenant/);
  });
});
