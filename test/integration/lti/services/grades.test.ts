import { submitGrade, type GradeSubmission } from '../../../../src/lti/services/grades.service';
import { OutboxJobModel } from '../../../../src/lti/services/outbox.model';
import { ResourceLinkModel } from '../../../../src/lti/services/resourceLink.model';
import { recordResourceLink } from '../../../../src/lti/services/resourceLink.service';
import {
  SandboxAccessToken,
  SandboxLineItem,
  SandboxResourceLink,
} from '../../../../src/sandbox/sandbox.model';
import { UserModel } from '../../../../src/tenancy/user.model';
import {
  drainOutbox,
  gradeFor,
  gradeSubmission,
  jobReaches,
  openOutboxPage,
  sandboxCourseIn,
  sandboxScores,
  signedInAs,
  useTestRounds,
  type SandboxCourse,
} from '../../../support';

// Grades go from Rounds to the sandbox LMS's gradebook (AGS) through the outbox, over real HTTP.
const ags = 'https://purl.imsglobal.org/spec/lti-ags/scope/';
const rounds = useTestRounds();
let course: SandboxCourse;

beforeAll(async () => {
  for (const person of ['nurse', 'physician', 'pharmacist'] as const) await signedInAs(rounds, person);
  course = await sandboxCourseIn(rounds);
});

const grade = (subject: string, overrides: Partial<GradeSubmission> = {}) =>
  gradeFor(course, subject, overrides);

/** The sandbox's grade items of an activity (by its resource link id). */
const lineItemsOf = (resourceLinkId: string) =>
  SandboxLineItem.find({ issuer: rounds.sandbox!.issuer, resourceLinkId }).lean();

describe('sending grades to the LMS', () => {
  it('when three learners are graded, then one access token serves all three scores, sent with the fields Moodle requires', async () => {
    const tokensBefore = await SandboxAccessToken.countDocuments({ issuer: rounds.sandbox!.issuer });
    const jobs = [
      await grade('3', { scoreGiven: 9, comment: 'Thoughtful reflection.' }),
      await grade('4', { scoreGiven: 7 }),
      await grade('5', { scoreGiven: 10 }),
    ];
    for (const jobId of jobs) await jobReaches(jobId, 'sent');

    expect(await SandboxAccessToken.countDocuments({ issuer: rounds.sandbox!.issuer })).toBe(
      tokensBefore + 1,
    );
    const nurseScores = await sandboxScores(rounds, '3');
    expect(nurseScores).toHaveLength(1);
    expect(nurseScores[0]).toMatchObject({
      scoreGiven: 9,
      scoreMaximum: 10,
      comment: 'Thoughtful reflection.',
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });
    expect((await sandboxScores(rounds, '4')).map((score) => score.scoreGiven)).toEqual([7]);
    expect((await sandboxScores(rounds, '5')).map((score) => score.scoreGiven)).toEqual([10]);
  });

  it('when Rounds created the line item, then its Moodle ?type_id stays on the URL and scores went to its path + /scores', async () => {
    // The sandbox refuses `…/lineitem?type_id=1/scores` with 400; a sent job proves `…/lineitem/scores?type_id=1`.
    const job = await jobReaches(await grade('3', { scoreGiven: 6 }), 'sent');
    expect(job.outcome).toContain('Score 6 / 10 sent');
    const link = await ResourceLinkModel.findOne({ tenantId: course.tenantId, resourceLinkId: '11' }).lean();
    expect(link!.lineItemUrl).toMatch(/\/lineitems\/\d+\/lineitem\?type_id=1$/);
    const lineItems = await lineItemsOf('11');
    expect(lineItems).toHaveLength(1);
    expect(lineItems[0]).toMatchObject({ label: 'Rounds', scoreMaximum: 10 });
  });

  it('when the same attempt is submitted twice, even at once, then one job exists and the LMS gets one score', async () => {
    const input = await gradeSubmission(course, '4', {
      scoreGiven: 5,
      activityProgress: 'Submitted',
      attemptId: 'grades-test:same-attempt',
    });
    const before = (await sandboxScores(rounds, '4')).length;
    const results = await Promise.all([submitGrade(input), submitGrade(input), submitGrade(input)]);
    expect(new Set(results.map((result) => result.jobId)).size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    await jobReaches(results[0]!.jobId, 'sent');
    const again = await submitGrade(input);
    expect(again).toEqual({ jobId: results[0]!.jobId, created: false });
    await drainOutbox(rounds);
    expect((await sandboxScores(rounds, '4')).length).toBe(before + 1);
  });

  it('when a worker died after posting a score, then the next worker finds it in the gradebook and does not post it again', async () => {
    const jobId = await grade('5', { scoreGiven: 4 });
    await jobReaches(jobId, 'sent');
    const before = (await sandboxScores(rounds, '5')).length;
    // As if the worker crashed between the LMS's 200 and recording "sent": the job is still leased, then expires.
    await OutboxJobModel.updateOne(
      { _id: jobId },
      {
        $set: {
          status: 'sending',
          leaseOwner: 'crashed-worker',
          leaseExpiresAt: new Date(Date.now() - 1000),
        },
        $unset: { sentAt: 1, outcome: 1 },
      },
    );
    const recovered = await jobReaches(jobId, 'sent');
    expect(recovered.outcome).toMatch(/Already in the LMS gradebook/);
    expect((await sandboxScores(rounds, '5')).length).toBe(before);
  });

  it('when a learner is refused by the LMS (not actively enrolled), then the job is parked with the status and Rounds’ reason, not the LMS’s words', async () => {
    const luis = await UserModel.findOneAndUpdate(
      { tenantId: course.tenantId, subject: '14' },
      { $set: { name: 'Luis Ferreira, CPhT' } },
      { upsert: true, new: true },
    ).lean();
    const job = await jobReaches(await grade('14'), 'parked');
    expect(job.parkedReason).toBe(
      'The LMS answered 400 when posting the score: the LMS found the request invalid (for a score, often a learner no longer enrolled)',
    );
    // The sandbox's body says "userId: not actively enrolled in this course"; what an LMS writes is not shown.
    expect(job.parkedReason).not.toContain('actively enrolled');
    expect(job.attempts).toBe(1);
    expect(await sandboxScores(rounds, String(luis.subject))).toHaveLength(0);
  });

  it('when someone who is not an admin opens the outbox, or posts without the form token, then they are refused', async () => {
    const { agent: nurse } = await signedInAs(rounds, 'nurse');
    await nurse.get('/admin/outbox').expect(403);
    const { agent: admin } = await signedInAs(rounds, 'cmeAdmin');
    await admin.post('/admin/outbox/retry-parked').type('form').send({}).expect(403);
  });
});

describe('when the grade item Rounds created was deleted in the LMS', () => {
  const resourceLinkId = 'deleted-item';
  let jobId: string;

  beforeAll(async () => {
    // An activity of its own, placed in the sandbox course as deep linking would, whose grade item Rounds creates
    // (a relaunch of '11' would name the LMS's item instead, which Retry cannot recreate).
    await SandboxResourceLink.create({
      issuer: rounds.sandbox!.issuer,
      contextId: rounds.sandbox!.course.contextId,
      resourceLinkId,
      title: 'Reflection 3',
      placedByUserId: '6',
      createdAt: new Date(),
    });
    await recordResourceLink(course.tenantId, course.courseId, {
      resourceLink: { id: resourceLinkId, title: 'Reflection 3' },
      ags: {
        scopes: [`${ags}lineitem`, `${ags}result.readonly`, `${ags}score`],
        lineItemsUrl: `${rounds.sandbox!.issuer}/ags/contexts/7/lineitems?type_id=1`,
      },
    });
    await jobReaches(await grade('3', { resourceLinkId }), 'sent');
    await SandboxLineItem.deleteMany({ issuer: rounds.sandbox!.issuer, resourceLinkId });
    jobId = await grade('3', { resourceLinkId, scoreGiven: 3 });
    await jobReaches(jobId, 'parked');
  });

  it('then the next score is parked with the LMS’s status and what Retry will do', async () => {
    expect((await jobReaches(jobId, 'parked')).parkedReason).toMatch(
      /answered 404 when posting the score.*Retry looks for or creates it again/,
    );
  });

  it('then /admin/outbox lists it under "Needs attention" with its reason and a Retry button', async () => {
    const { html } = await openOutboxPage((await signedInAs(rounds, 'cmeAdmin')).agent);
    expect(html).toContain('Needs attention');
    expect(html).toContain('3 / 10 for Nora Okafor, RN · Reflection 3');
    expect(html).toContain('answered 404 when posting the score');
    expect(html).toContain(`action="/admin/outbox/${jobId}/retry"`);
  });

  it('then Retry creates a new grade item and sends the score, and the page says it will be sent again', async () => {
    const { agent } = await signedInAs(rounds, 'cmeAdmin');
    const { csrf } = await openOutboxPage(agent);
    const retry = await agent.post(`/admin/outbox/${jobId}/retry`).type('form').send({ _csrf: csrf });
    expect([retry.status, retry.headers.location]).toEqual([303, '/admin/outbox?done=retried']);
    const sent = await jobReaches(jobId, 'sent');
    expect(sent.attempts).toBe(1);
    expect((await sandboxScores(rounds, '3')).at(-1)).toMatchObject({ scoreGiven: 3 });
    expect(await lineItemsOf(resourceLinkId)).toHaveLength(1);
    expect((await agent.get('/admin/outbox?done=retried').expect(200)).text).toContain('will be sent again');
  });
});

describe('retrying what was sent', () => {
  it('when an admin retries a job that was sent already, then 409', async () => {
    const jobId = await grade('4', { scoreGiven: 4 });
    await jobReaches(jobId, 'sent');
    const { agent } = await signedInAs(rounds, 'cmeAdmin');
    const { csrf } = await openOutboxPage(agent);
    const retry = await agent.post(`/admin/outbox/${jobId}/retry`).type('form').send({ _csrf: csrf });
    expect(retry.status).toBe(409);
  });
});

describe('Moodle’s grade sync only mode', () => {
  const readOnlyScopes = [`${ags}lineitem.readonly`, `${ags}result.readonly`, `${ags}score`];

  it('when the activity has no grade item and Rounds may not create one, then the job is parked saying so', async () => {
    await recordResourceLink(course.tenantId, course.courseId, {
      resourceLink: { id: 'sync-only-1', title: 'Reflection 1' },
      ags: {
        scopes: readOnlyScopes,
        lineItemsUrl: `${rounds.sandbox!.issuer}/ags/contexts/7/lineitems?type_id=1`,
      },
    });
    const job = await jobReaches(await grade('3', { resourceLinkId: 'sync-only-1' }), 'parked');
    expect(job.parkedReason).toMatch(/not create grade items.*grade sync only/);
    expect(
      await SandboxLineItem.countDocuments({ issuer: rounds.sandbox!.issuer, resourceLinkId: 'sync-only-1' }),
    ).toBe(0);
  });

  it('when the launch names the activity’s line item, then scores go there without creating one', async () => {
    // The built-in activity's grade item, made by its first score.
    await jobReaches(await grade('5', { scoreGiven: 1 }), 'sent');
    const [lineItem] = await lineItemsOf('11');
    const lineItemUrl = `${rounds.sandbox!.issuer}/ags/contexts/7/lineitems/${lineItem!.lineItemId}/lineitem?type_id=1`;
    await recordResourceLink(course.tenantId, course.courseId, {
      resourceLink: { id: 'sync-only-2', title: 'Reflection 2' },
      ags: { scopes: readOnlyScopes, lineItemUrl },
    });
    const lineItemsBefore = await SandboxLineItem.countDocuments({ issuer: rounds.sandbox!.issuer });
    await jobReaches(await grade('4', { resourceLinkId: 'sync-only-2', scoreGiven: 2 }), 'sent');
    expect(await SandboxLineItem.countDocuments({ issuer: rounds.sandbox!.issuer })).toBe(lineItemsBefore);
    expect((await sandboxScores(rounds, '4')).at(-1)).toMatchObject({
      scoreGiven: 2,
      lineItemId: lineItem!.lineItemId,
    });
  });

  it('when a grade names an activity never launched, then submitGrade refuses it at once and queues nothing', async () => {
    const jobsBefore = await OutboxJobModel.countDocuments({ tenantId: course.tenantId });
    await expect(grade('3', { resourceLinkId: 'never-launched' })).rejects.toThrow(/not been launched/);
    expect(await OutboxJobModel.countDocuments({ tenantId: course.tenantId })).toBe(jobsBefore);
  });
});
