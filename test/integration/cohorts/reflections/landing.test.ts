import mongoose from 'mongoose';
import request from 'supertest';
import { ReflectionVersionModel } from '../../../../src/cohorts/reflections';
import { findTargetByKey, listTargets, targetKey } from '../../../../src/targets';
import {
  decodeHtml,
  jobReaches,
  postForm,
  sandboxCourseIn,
  sandboxScores,
  seedCohort,
  signedInAs,
  signedInAsMember,
  useTestRounds,
  type Agent,
  type SandboxCourse,
} from '../../../support';
import { assignmentFields, createAssignmentAs, placeInCourse } from './reflections.support';

// Where placed reflections land, where grades go when the assignment has no LMS column of its own (the older
// placed `reflection:cohort-reflection`, or none yet), what the catalogue offers, and who is refused.
const rounds = useTestRounds();
let course: SandboxCourse;
let mentor: Agent;
let nurse: Agent;

let admin: Agent;
let cohortId: string;
let assignmentId: string;

beforeAll(async () => {
  mentor = (await signedInAs(rounds, 'mentor')).agent;
  nurse = (await signedInAs(rounds, 'nurse')).agent;
  await signedInAs(rounds, 'physician');
  admin = (await signedInAs(rounds, 'cmeAdmin')).agent;
  course = await sandboxCourseIn(rounds);
  const [garcia, nora, priya] = await Promise.all(['6', '3', '4'].map((sub) => course.userId(sub)));
  cohortId = await seedCohort(course, {
    mentors: [garcia!],
    mentees: [nora!, priya!],
    pairs: [
      [garcia!, nora!],
      [garcia!, priya!],
    ],
  });
  assignmentId = await createAssignmentAs(mentor, cohortId, 'Week one');
});

describe('the assignment form', () => {
  it('when the rubric and title are wrong, then 400 with each message at its field and everything typed kept', async () => {
    const path = `/cohorts/${cohortId}/assignments/new`;
    const refused = await postForm(mentor, path, path, {
      ...assignmentFields(''),
      prompt: 'Kept prompt',
      c1_l1_label: '',
      c1_l1_points: '',
      c0_l2_points: '-1',
    });
    expect(refused.status).toBe(400);
    const page = decodeHtml(refused.text);
    expect(page).toContain('<a href="#title">Enter a title.</a>');
    expect(page).toContain(
      '<a href="#c0_l2_points">Enter the points for this level: a number from 0 to 1,000.</a>',
    );
    expect(page).toContain('<a href="#c1_l0_label">Give “Plan” at least 2 levels.</a>');
    expect(page).toContain('Kept prompt</textarea>');
    expect(page).toMatch(/id="c0_l2_points" name="c0_l2_points" type="text" inputmode="decimal" value="-1"/);
  });

  it('when a title is already used in the cohort, then 400 at the title', async () => {
    const path = `/cohorts/${cohortId}/assignments/new`;
    const refused = await postForm(mentor, path, path, assignmentFields('Week one'));
    expect(refused.status).toBe(400);
    expect(decodeHtml(refused.text)).toContain('already has an assignment with this title');
  });

  it('when a learner opens the assignments page, then 403', async () => {
    await nurse.get(`/cohorts/${cohortId}/assignments`).set('Accept', 'text/html').expect(403);
  });
});

describe('deep linking offers real assignments', () => {
  it('when the catalogue is listed, then the assignment is there as reflection:<id>, out of its rubric’s maximum, and found again by its key', async () => {
    const targets = await listTargets(course.tenantId, course.courseId);
    const target = targets.find((item) => item.id === assignmentId);
    expect(target).toMatchObject({ kind: 'reflection', title: 'Week one', gradable: { scoreMaximum: 7 } });
    expect(await findTargetByKey(targetKey(target!), course.tenantId, course.courseId)).toEqual(target);
    expect(targets.some((item) => targetKey(item) === 'reflection:cohort-reflection')).toBe(true);
    expect(
      await findTargetByKey(`reflection:${assignmentId}`, String(new mongoose.Types.ObjectId())),
    ).toBeUndefined();
  });

  it('when an instructor of another course of the tenant opens the picker, then this course’s assignments are not offered to them', async () => {
    const elsewhere = String(new mongoose.Types.ObjectId());
    const targets = await listTargets(course.tenantId, elsewhere);
    expect(targets.some((item) => item.id === assignmentId)).toBe(false);
    expect(targets.some((item) => targetKey(item) === 'reflection:cohort-reflection')).toBe(true);
    expect(await findTargetByKey(`reflection:${assignmentId}`, course.tenantId, elsewhere)).toBeUndefined();
  });
});

describe('a grade with no LMS column yet, then the older placed reflection link', () => {
  let versionId: string;

  it('when the mentor grades before anything is placed, then the grade is kept in Rounds and she is told so', async () => {
    const write = `/cohorts/${cohortId}/reflections/${assignmentId}`;
    await postForm(nurse, write, write, { action: 'submit', text: 'Week one, done.' }).then((r) =>
      expect(r.status).toBe(303),
    );
    versionId = String((await ReflectionVersionModel.findOne({ assignmentId }).lean())!._id);
    const graded = await postForm(mentor, `/grading/${versionId}`, `/grading/${versionId}`, {
      action: 'grade',
      level_0: '1',
      level_1: '0',
    });
    expect(graded.status).toBe(303);
    const notice = decodeHtml((await mentor.get(graded.headers.location!).expect(200)).text);
    expect(notice).toContain(
      'Grade saved: 2 of 7 for Nora Okafor, RN. Kept in Rounds: no LMS grade column yet.',
    );
    expect(decodeHtml((await nurse.get(write).expect(200)).text)).toContain('Graded: 2 of 7');
  });

  it('when the course’s placed reflection:cohort-reflection is launched, then a mentee lands on her reflections and the kept grade goes to its column once', async () => {
    const linkId = await placeInCourse(rounds, 'reflection:cohort-reflection', 'Reflection assignment');
    const { agent, launch } = await signedInAs(rounds, 'physician', { resourceLinkId: linkId });
    expect(launch.headers.location).toBe('/targets/reflection/cohort-reflection');
    const landed = await agent.get('/targets/reflection/cohort-reflection').expect(303);
    expect(landed.headers.location).toBe(`/cohorts/${cohortId}/reflections`);
    const list = decodeHtml((await agent.get(landed.headers.location!).expect(200)).text);
    expect(list).toContain('<h1>My reflections</h1>');
    expect(list).toContain('Week one');

    const version = await ReflectionVersionModel.findById(versionId).lean();
    expect(version!.lmsState).toBe('queued');
    await jobReaches(version!.lmsJobId!, 'sent');
    expect((await sandboxScores(rounds, '3')).map((score) => score.scoreGiven)).toEqual([2]);
  });
});

describe('landing and refusals', () => {
  it('when the mentor opens a placed reflection, then she lands on her grading queue', async () => {
    expect((await mentor.get('/targets/reflection/cohort-reflection').expect(303)).headers.location).toBe(
      '/grading',
    );
    expect((await mentor.get(`/targets/reflection/${assignmentId}`).expect(303)).headers.location).toBe(
      '/grading',
    );
  });

  it('when a learner in no cohort opens the placed reflection, then a page says why, not an error', async () => {
    const { agent } = await signedInAsMember(rounds, { sub: '8', name: 'Ana Souza' });
    const page = decodeHtml((await agent.get('/targets/reflection/cohort-reflection').expect(200)).text);
    expect(page).toContain('<h1>Reflection assignment</h1>');
    expect(page).toContain('you are not a mentee in one of this course’s cohorts yet');
    await agent.get(`/cohorts/${cohortId}/reflections`).set('Accept', 'text/html').expect(403);
  });

  it('when an assignment id is unknown, another tenant’s or malformed, then 404; without a session, 401', async () => {
    await nurse
      .get(`/targets/reflection/${String(new mongoose.Types.ObjectId())}`)
      .set('Accept', 'text/html')
      .expect(404);
    await nurse.get('/targets/reflection/nope').set('Accept', 'text/html').expect(404);
    await nurse
      .get(`/grading/${String(new mongoose.Types.ObjectId())}`)
      .set('Accept', 'text/html')
      .expect(404);
    await request(rounds.url).get('/grading').set('Accept', 'text/html').expect(401);
  });

  it('when the mentee opens the grading page of her own reflection, then 403; an administrator reads it without a grading form', async () => {
    const versionId = String((await ReflectionVersionModel.findOne({ assignmentId }).lean())!._id);
    await nurse.get(`/grading/${versionId}`).set('Accept', 'text/html').expect(403);
    const page = decodeHtml((await admin.get(`/grading/${versionId}`).expect(200)).text);
    expect(page).toContain('Week one, done.');
    expect(page).not.toContain('Save grade');
  });
});
