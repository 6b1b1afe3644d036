import { PairModel } from '../../../../src/cohorts';
import { goalsOfPair } from '../../../../src/cohorts/plans';
import {
  decodeHtml,
  openForm,
  postForm,
  sandboxCourseIn,
  seedCohort,
  signedInAs,
  signedInAsMember,
  useTestRounds,
  type Agent,
  type SandboxCourse,
} from '../../../support';

const rounds = useTestRounds();
let course: SandboxCourse;
/** Dr. García mentors the nurse; Jordan Lee (a learner made mentor) mentors the physician, in the same cohort. */
let garcia: Agent;
let lee: Agent;
let nurse: Agent;
let physician: Agent;
/** Sam Whitfield, the tenant's administrator: manages every cohort, reads plans. */
let admin: Agent;
let ids: { garcia: string; lee: string; nurse: string; physician: string };

beforeAll(async () => {
  garcia = (await signedInAs(rounds, 'mentor')).agent;
  nurse = (await signedInAs(rounds, 'nurse')).agent;
  physician = (await signedInAs(rounds, 'physician')).agent;
  admin = (await signedInAs(rounds, 'cmeAdmin')).agent;
  lee = (await signedInAsMember(rounds, { sub: '8', name: 'Jordan Lee' })).agent;
  course = await sandboxCourseIn(rounds);
  ids = {
    garcia: await course.userId('6'),
    lee: await course.userId('8'),
    nurse: await course.userId('3'),
    physician: await course.userId('4'),
  };
});

/** A cohort with its two pairs; returns the path of the García–nurse pair's plan. */
async function newPair() {
  const cohortId = await seedCohort(course, {
    mentors: [ids.garcia, ids.lee],
    mentees: [ids.nurse, ids.physician],
    pairs: [
      [ids.garcia, ids.nurse],
      [ids.lee, ids.physician],
    ],
  });
  const pair = await PairModel.findOne({ cohortId, menteeId: ids.nurse }).lean();
  return { cohortId, pairId: String(pair!._id), path: `/cohorts/${cohortId}/pairs/${String(pair!._id)}` };
}

const agreement = {
  meetingCadence: 'Every two weeks, 45 minutes, by video',
  expectations: 'Both come prepared.\nCancel a day ahead.',
  confidentiality: 'What we discuss stays between us.',
};

describe('the mentoring agreement', () => {
  it('when the mentee and then the mentor change it, then both changes show in the history with who and what', async () => {
    const { path } = await newPair();
    const first = await postForm(nurse, path, `${path}/agreement`, { ...agreement, revision: '0' });
    expect(first.status).toBe(303);
    const second = await postForm(garcia, path, `${path}/agreement`, {
      ...agreement,
      meetingCadence: 'Weekly, 30 minutes',
      revision: '1',
    });
    expect(second.status).toBe(303);

    const page = decodeHtml((await nurse.get(path).expect(200)).text);
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page).toContain('Mentoring plan: Dr. Elena García and Nora Okafor, RN');
    expect(page).toContain('>Weekly, 30 minutes</textarea>');
    expect(page).toContain('Both come prepared.\nCancel a day ahead.</textarea>');
    const history = page.slice(page.indexOf('History of changes'));
    expect(history).toContain('<strong>Dr. Elena García</strong>');
    expect(history).toContain(
      'Meeting cadence: “Every two weeks, 45 minutes, by video” → “Weekly, 30 minutes”',
    );
    expect(history).toContain('<strong>Nora Okafor, RN</strong>');
    expect(history).toContain('Confidentiality set to “What we discuss stays between us.”');
    // Newest first, times in the cohort's zone.
    expect(history.indexOf('Dr. Elena García')).toBeLessThan(history.indexOf('Nora Okafor, RN'));
    expect(page).toContain('Times are in America/Chicago');
  });

  it('when the other person saved while she was editing, then 409 with her text kept, and saving again replaces theirs', async () => {
    const { path } = await newPair();
    await postForm(garcia, path, `${path}/agreement`, { ...agreement, revision: '0' });
    const stale = await postForm(nurse, path, `${path}/agreement`, {
      ...agreement,
      meetingCadence: 'Monthly, in person',
      revision: '0',
    });
    expect(stale.status).toBe(409);
    const page = decodeHtml(stale.text);
    expect(page).toContain('Someone changed the agreement while you were editing.');
    expect(page).toContain('>Monthly, in person</textarea>');
    expect(page).toContain('name="revision" value="1"');

    const retry = await postForm(nurse, path, `${path}/agreement`, {
      ...agreement,
      meetingCadence: 'Monthly, in person',
      revision: '1',
    });
    expect(retry.status).toBe(303);
    expect(decodeHtml((await garcia.get(path).expect(200)).text)).toContain('>Monthly, in person</textarea>');
  });

  it('when a field is too long, then 400 with the message at the field and the text kept', async () => {
    const { path } = await newPair();
    const long = 'x'.repeat(2001);
    const response = await postForm(nurse, path, `${path}/agreement`, {
      ...agreement,
      expectations: long,
      revision: '0',
    });
    expect(response.status).toBe(400);
    const page = decodeHtml(response.text);
    expect(page).toContain('<a href="#expectations">Keep the expectations to 2000 characters or fewer.');
    expect(page).toContain(`>${long}</textarea>`);
  });
});

describe('goals and milestones', () => {
  it('when a goal has a milestone with an impossible date, then 400 at that row with everything typed kept', async () => {
    const { path } = await newPair();
    const response = await postForm(nurse, `${path}/goals/new`, `${path}/goals`, {
      title: 'Lead a quality project',
      description: 'On my unit',
      milestoneTitle0: 'Pick a topic',
      milestoneDate0: '2026-02-30',
      milestoneTitle1: 'Present results',
    });
    expect(response.status).toBe(400);
    const page = decodeHtml(response.text);
    expect(page).toContain('<a href="#milestone-date-0">Enter the target date as a date');
    expect(page).toContain('value="Lead a quality project"');
    expect(page).toContain('value="2026-02-30"');
    expect(page).toContain('value="Present results"');
  });

  it('when the mentee adds a goal and the mentor ticks a milestone, then the page and goalsOfPair show the progress', async () => {
    const { path, pairId } = await newPair();
    const added = await postForm(nurse, `${path}/goals/new`, `${path}/goals`, {
      title: 'Lead a quality project',
      milestoneTitle0: 'Pick a topic',
      milestoneDate0: '2026-03-31',
      milestoneTitle1: 'Present results',
      milestoneDate1: '2026-09-30',
    });
    expect(added.status).toBe(303);
    expect(await goalsOfPair(course.tenantId, pairId)).toEqual([
      expect.objectContaining({
        title: 'Lead a quality project',
        milestonesDone: 0,
        milestonesTotal: 2,
        nextMilestone: { title: 'Pick a topic', targetDate: '2026-03-31' },
      }),
    ]);

    const page = decodeHtml((await garcia.get(path).expect(200)).text);
    expect(page).toContain('0 of 2 milestones done.');
    expect(page).toContain('by 31 Mar 2026');
    const action = /action="([^"]+\/milestones\/[^"]+)"/.exec(page)![1]!;
    const ticked = await postForm(garcia, path, action, { done: 'yes', revision: '1' });
    expect(ticked.status).toBe(303);
    // The same click from a page made before that change is a conflict, not a silent overwrite.
    expect((await postForm(nurse, path, action, { done: 'no', revision: '1' })).status).toBe(409);

    const after = decodeHtml((await nurse.get(path).expect(200)).text);
    expect(after).toContain('1 of 2 milestones done.');
    expect(after).toContain('Goal “Lead a quality project”: milestone “Pick a topic” marked done');
    expect((await goalsOfPair(course.tenantId, pairId))[0]).toMatchObject({
      milestonesDone: 1,
      nextMilestone: { title: 'Present results' },
    });
  });
});

describe('who may see and change a plan', () => {
  it('when an administrator opens it, then they read it without any form', async () => {
    const { path } = await newPair();
    await postForm(nurse, path, `${path}/agreement`, { ...agreement, revision: '0' });
    const page = decodeHtml((await admin.get(path).expect(200)).text);
    expect(page).toContain('Every two weeks, 45 minutes, by video');
    expect(page).not.toContain(`action="${path}/agreement"`);
    expect(page).not.toContain('Add a goal');
    const { csrf } = await openForm(admin, path);
    const write = await admin
      .post(`${path}/agreement`)
      .type('form')
      .send({ _csrf: csrf, ...agreement, meetingCadence: 'Admin says weekly', revision: '1' });
    expect(write.status).toBe(403);
  });

  it('when another mentor or another mentee of the same cohort opens it, then 403; an unknown pair 404', async () => {
    const { path, cohortId } = await newPair();
    expect((await lee.get(path)).status).toBe(403);
    expect((await physician.get(path)).status).toBe(403);
    expect((await nurse.get(`/cohorts/${cohortId}/pairs/not-a-pair`)).status).toBe(404);
    const { csrf } = await openForm(physician, `/cohorts/${cohortId}/profile`);
    const write = await physician
      .post(`${path}/agreement`)
      .type('form')
      .send({ _csrf: csrf, ...agreement, revision: '0' });
    expect(write.status).toBe(403);
  });

  it('when the pair has ended, then its two people still read the plan but can no longer change it', async () => {
    const { path, pairId } = await newPair();
    await PairModel.updateOne({ _id: pairId }, { $set: { active: false, endedAt: new Date() } });
    const page = decodeHtml((await nurse.get(path).expect(200)).text);
    expect(page).toContain('This pair ended');
    expect((await postForm(nurse, path, `${path}/agreement`, { ...agreement, revision: '0' })).status).toBe(
      403,
    );
  });
});
