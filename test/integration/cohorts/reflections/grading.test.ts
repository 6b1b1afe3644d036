import { roleUri } from '../../../../src/sandbox/sandbox.people';
import { CohortModel } from '../../../../src/cohorts';
import { CohortReflectionModel, ReflectionVersionModel } from '../../../../src/cohorts/reflections';
import {
  decodeHtml,
  drainOutbox,
  jobReaches,
  outboxJob,
  postForm,
  sandboxCourseIn,
  sandboxScores,
  seedCohort,
  signedInAs,
  signedInAsMember,
  useTestRounds,
  waitFor,
  type Agent,
} from '../../../support';
import { createAssignmentAs, csrfOf, placeInCourse } from './reflections.support';

// Reflections end to end (issue 12, item 5): a mentee drafts, submits, revises; her mentor returns and grades it
// from his queue; the grade reaches the sandbox LMS gradebook exactly once, even through an AGS outage.
const rounds = useTestRounds();
let mentor: Agent;
let otherMentor: Agent;
let nurse: Agent;
let cohortId: string;
let assignmentId: string;
let resourceLinkId: string;
const title = 'Reflection on a hard conversation';

beforeAll(async () => {
  mentor = (await signedInAs(rounds, 'mentor')).agent;
  await signedInAs(rounds, 'nurse');
  await signedInAs(rounds, 'physician');
  await signedInAs(rounds, 'pharmacist');
  // A mentor who is not an instructor of the course (LTI Mentor only): a mentor and nothing more.
  otherMentor = (
    await signedInAsMember(rounds, { sub: '20', name: 'Dr. Omar Haddad', roles: [roleUri.mentor] })
  ).agent;
  const course = await sandboxCourseIn(rounds);
  const [garcia, haddad, nora, priya, marcus] = await Promise.all(
    ['6', '20', '3', '4', '5'].map((sub) => course.userId(sub)),
  );
  cohortId = await seedCohort(course, {
    mentors: [garcia!, haddad!],
    mentees: [nora!, priya!, marcus!],
    pairs: [
      [garcia!, nora!],
      [garcia!, priya!],
      [haddad!, marcus!],
    ],
  });
  assignmentId = await createAssignmentAs(mentor, cohortId, title);
  resourceLinkId = await placeInCourse(rounds, `reflection:${assignmentId}`, title);
  const launched = await signedInAs(rounds, 'nurse', { resourceLinkId });
  nurse = launched.agent;
  expect(launched.launch.headers.location).toBe(`/targets/reflection/${assignmentId}`);
  const landed = await nurse.get(launched.launch.headers.location!).expect(303);
  expect(landed.headers.location).toBe(`/cohorts/${cohortId}/reflections/${assignmentId}`);
});

const writePath = () => `/cohorts/${cohortId}/reflections/${assignmentId}`;

async function versionIdOf(number: number): Promise<string> {
  const reflection = await CohortReflectionModel.findOne({ assignmentId }).lean();
  const version = await ReflectionVersionModel.findOne({ reflectionId: reflection!._id, number }).lean();
  return String(version!._id);
}

describe('a reflection from draft to grade', () => {
  it('when the mentee saves a draft and autosaves, then it is kept; an autosave from a stale window is refused (409)', async () => {
    const saved = await postForm(nurse, writePath(), writePath(), { action: 'save', text: 'First thoughts' });
    expect(saved.status).toBe(303);
    const page = decodeHtml((await nurse.get(saved.headers.location!).expect(200)).text);
    expect(page).toContain('First thoughts</textarea>');
    const revision = Number(/data-revision="(\d+)"/.exec(page)![1]);
    const csrf = await csrfOf(nurse, writePath());
    const autosave = await nurse
      .post(`${writePath()}/draft`)
      .set('Accept', 'application/json')
      .send({ _csrf: csrf, text: 'First thoughts, then more', baseRevision: revision })
      .expect(200);
    expect(autosave.body).toMatchObject({
      revision: revision + 1,
      savedAtText: expect.stringMatching(/^\d\d:\d\d \(America\/Chicago\)$/),
    });
    const stale = await nurse
      .post(`${writePath()}/draft`)
      .set('Accept', 'application/json')
      .send({ _csrf: csrf, text: 'Older window', baseRevision: revision });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toContain('kept on this device');
    expect(decodeHtml((await nurse.get(writePath()).expect(200)).text)).toContain(
      'First thoughts, then more</textarea>',
    );
  });

  it('when the mentee submits 20,001 characters, then 400 with the message at the field and every character kept', async () => {
    // 700 lines of 26 characters once the \r\n is counted as the one line break the mentee sees, then 1,801 more.
    const long = `${'I kept thinking about it.\r\n'.repeat(700)}${'x'.repeat(20_001 - 700 * 26)}`;
    const refused = await postForm(nurse, writePath(), writePath(), { action: 'submit', text: long });
    expect(refused.status).toBe(400);
    const page = decodeHtml(refused.text);
    expect(page).toContain('<a href="#reflection-text">Keep your reflection to 20,000 characters or fewer.');
    expect(page).toMatch(
      /id="reflection-text-error"><span class="visually-hidden">Error: <\/span>Keep your reflection to 20,000/,
    );
    expect(page).toContain(`${long.replace(/\r\n/g, '\n')}</textarea>`);
    expect(await ReflectionVersionModel.countDocuments({ assignmentId })).toBe(0);
  });

  it('when the mentee submits, then it is in her mentor’s queue, and another mentor reading it gets 403', async () => {
    const submitted = await postForm(nurse, writePath(), writePath(), {
      action: 'submit',
      text: 'My reflection.\nLine two <b>not bold</b>.',
    });
    expect(submitted.headers.location).toBe(`${writePath()}?done=submitted`);
    const queue = decodeHtml((await mentor.get('/grading').expect(200)).text);
    expect(queue).toContain('To grade <span class="queue-tabs__count">(1)</span>');
    expect(queue).toContain('Nora Okafor, RN');
    const versionId = await versionIdOf(1);
    const page = (await mentor.get(`/grading/${versionId}`).expect(200)).text;
    expect(page).toContain('My reflection.\nLine two &lt;b&gt;not bold&lt;/b&gt;.');

    const elsewhere = await otherMentor.get(`/grading/${versionId}`).set('Accept', 'text/html');
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.text).toContain('only the reflections of your own mentees');
    expect(decodeHtml((await otherMentor.get('/grading').expect(200)).text)).not.toContain('Nora Okafor');
  });

  it('when the mentor returns it and the mentee revises, then grading the old version is refused (409) and nothing is saved', async () => {
    const first = await versionIdOf(1);
    const returned = await postForm(mentor, `/grading/${first}`, `/grading/${first}`, {
      action: 'return',
      feedback: 'Say more about what you would do next time.',
    });
    expect(returned.status).toBe(303);
    const menteePage = decodeHtml((await nurse.get(writePath()).expect(200)).text);
    expect(menteePage).toContain('Returned for revision');
    expect(menteePage).toContain('Say more about what you would do next time.');

    // The mentor had a second tab open on version 1 before the return; the mentee resubmits meanwhile.
    await postForm(nurse, writePath(), writePath(), { action: 'submit', text: 'My revised reflection.' });
    const stale = await postForm(mentor, `/grading/${first}`, `/grading/${first}`, {
      action: 'grade',
      level_0: '2',
      level_1: '1',
    });
    expect(stale.status).toBe(409);
    expect(decodeHtml(stale.text)).toContain('revised this reflection after you opened it');
    expect((await ReflectionVersionModel.findById(first).lean())!.status).toBe('returned');
  });

  it('when a level outside the rubric is posted, then 400 with the message at that criterion', async () => {
    const second = await versionIdOf(2);
    const refused = await postForm(mentor, `/grading/${second}`, `/grading/${second}`, {
      action: 'grade',
      level_0: '7',
      level_1: '1',
      feedback: 'Kept when refused',
    });
    expect(refused.status).toBe(400);
    const page = decodeHtml(refused.text);
    expect(page).toContain('Choose one of the levels shown for “Insight”.');
    expect(page).toContain('Kept when refused</textarea>');
  });

  it('when the mentor grades while the LMS is down, then the mentee sees the grade at once and the LMS gets it exactly once when back', async () => {
    const second = await versionIdOf(2);
    rounds.sandbox!.setAgsAvailable(false);
    try {
      const graded = await postForm(mentor, `/grading/${second}`, `/grading/${second}`, {
        action: 'grade',
        level_0: '2',
        level_1: '1',
        feedback: 'A clear plan. Well done.',
      });
      expect(graded.status).toBe(303);
      const menteePage = decodeHtml((await nurse.get(writePath()).expect(200)).text);
      expect(menteePage).toContain('Graded: 7 of 7');
      expect(menteePage).toContain('A clear plan. Well done.');

      const version = await ReflectionVersionModel.findById(second).lean();
      expect(version).toMatchObject({ status: 'graded', score: 7, scoreMaximum: 7, lmsState: 'queued' });
      await waitFor('the first post to meet the outage', async () => {
        const job = await outboxJob(version!.lmsJobId!);
        return job.attempts >= 1 && job.lastError?.includes('503') && job.status !== 'sent';
      });
      // A double click on "Save grade": refused, nothing more queued.
      const again = await postForm(mentor, `/grading/${second}`, `/grading/${second}`, {
        action: 'grade',
        level_0: '0',
        level_1: '0',
      });
      expect(again.status).toBe(409);
    } finally {
      rounds.sandbox!.setAgsAvailable(true);
    }
    const version = await ReflectionVersionModel.findById(second).lean();
    await jobReaches(version!.lmsJobId!, 'sent');
    await drainOutbox(rounds);
    const scores = await sandboxScores(rounds, '3');
    expect(scores).toHaveLength(1);
    expect(scores[0]).toMatchObject({
      scoreGiven: 7,
      scoreMaximum: 7,
      comment: 'A clear plan. Well done.',
      gradingProgress: 'FullyGraded',
    });
    const notice = decodeHtml((await mentor.get(`/grading?done=${second}`).expect(200)).text);
    expect(notice).toContain('Grade saved: 7 of 7 for Nora Okafor, RN. Sent to the LMS gradebook');
  });
});

describe('a reflection of an archived cohort', () => {
  it('when its mentor opens or grades a version after the cohort is archived, then 404 like an unknown id, and nothing changes', async () => {
    const second = await versionIdOf(2);
    const before = await ReflectionVersionModel.findById(second).lean();
    const csrf = await csrfOf(mentor, `/grading/${second}`);
    await CohortModel.updateOne({ _id: cohortId }, { $set: { archived: true } });
    try {
      const opened = await mentor.get(`/grading/${second}`).set('Accept', 'text/html');
      expect(opened.status).toBe(404);
      expect(decodeHtml(opened.text)).not.toContain('Nora Okafor');
      const posted = await mentor
        .post(`/grading/${second}`)
        .type('form')
        .set('Accept', 'text/html')
        .send({ _csrf: csrf, action: 'return', feedback: 'Too late' });
      expect(posted.status).toBe(404);
      const after = await ReflectionVersionModel.findById(second).lean();
      expect(after).toMatchObject({ status: before!.status, feedback: before!.feedback });
    } finally {
      await CohortModel.updateOne({ _id: cohortId }, { $set: { archived: false } });
    }
  });
});
