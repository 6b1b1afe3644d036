import mongoose from 'mongoose';
import { CohortMemberModel, PairModel } from '../../../../src/cohorts';
import { MatchProfileModel, pairsForViewer, pairsOfCohort } from '../../../../src/cohorts/matching';
import { ChangeRequestModel } from '../../../../src/cohorts/matching/changeRequest.model';
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
/** Dr. García: instructor of the course (manages every cohort of it) and a mentor in these cohorts. */
let garcia: Agent;
/** Dr. Lee: a learner of the course whom the instructor made a mentor (no management rights). */
let lee: Agent;
let nurse: Agent;
let physician: Agent;
let ids: { garcia: string; lee: string; nurse: string; physician: string; pharmacist: string };

const nursePreference = 'A mentor who also trained abroad, like me';

beforeAll(async () => {
  garcia = (await signedInAs(rounds, 'mentor')).agent;
  nurse = (await signedInAs(rounds, 'nurse')).agent;
  physician = (await signedInAs(rounds, 'physician')).agent;
  await signedInAs(rounds, 'pharmacist');
  lee = (await signedInAsMember(rounds, { sub: '8', name: 'Jordan Lee' })).agent;
  course = await sandboxCourseIn(rounds);
  ids = {
    garcia: await course.userId('6'),
    lee: await course.userId('8'),
    nurse: await course.userId('3'),
    physician: await course.userId('4'),
    pharmacist: await course.userId('5'),
  };
});

/** A mentoring cohort with both mentors (one mentee each) and the three learners as mentees, profiles filled in. */
async function newCohort(options: { profiles?: boolean } = {}) {
  const cohortId = await seedCohort(course, {
    name: `Residents ${Math.random()}`,
    capacityPerMentor: 1,
    mentors: [ids.garcia, ids.lee],
    mentees: [ids.nurse, ids.physician, ids.pharmacist],
  });
  if (options.profiles !== false) {
    const profile = (userId: string, fields: Record<string, unknown>) =>
      MatchProfileModel.create({
        tenantId: course.tenantId,
        cohortId,
        userId,
        availability: ['weekends'],
        ...fields,
      });
    await profile(ids.garcia, {
      profession: 'physician',
      specialty: 'Internal medicine',
      careerStage: 'senior',
      offerTags: ['trained abroad'],
    });
    await profile(ids.lee, {
      profession: 'nurse',
      specialty: 'Oncology nursing',
      careerStage: 'mid-career',
      offerTags: ['trained abroad'],
    });
    await profile(ids.nurse, {
      profession: 'nurse',
      specialty: 'Oncology nursing',
      careerStage: 'early-career',
      preferences: nursePreference,
    });
    await profile(ids.physician, {
      profession: 'physician',
      specialty: 'Internal medicine',
      careerStage: 'resident',
    });
    await profile(ids.pharmacist, {
      profession: 'pharmacist',
      specialty: 'Oncology pharmacy',
      careerStage: 'resident',
    });
  }
  return cohortId;
}

describe('the matching profile', () => {
  it('when a mentee sends it with a missing specialty and over-long preferences, then 400, errors at the fields and the text kept', async () => {
    const cohortId = await newCohort({ profiles: false });
    const path = `/cohorts/${cohortId}/profile`;
    const longPreference = 'p'.repeat(501);
    const response = await postForm(nurse, path, path, {
      profession: 'nurse',
      specialty: '',
      careerStage: 'early-career',
      goals: 'Lead a unit one day',
      availability: ['weekday-evenings', 'weekends'],
      preferences: longPreference,
    });
    expect(response.status).toBe(400);
    const page = decodeHtml(response.text);
    expect(page).toContain('<a href="#specialty">Enter your specialty');
    expect(page).toContain('<a href="#preferences">Keep your preferences to 500 characters or fewer.');
    expect(page).toContain(`>${longPreference}</textarea>`);
    expect(page).toContain('Lead a unit one day</textarea>');
    expect(page).toMatch(/id="availability-weekends"[^>]*checked/);
    expect(await MatchProfileModel.exists({ cohortId, userId: ids.nurse })).toBeNull();
  });

  it('when a mentee saves it, then it shows again with the private preferences, and a mentee is not asked what they offer', async () => {
    const cohortId = await newCohort({ profiles: false });
    const path = `/cohorts/${cohortId}/profile`;
    const response = await postForm(nurse, path, path, {
      profession: 'nurse',
      specialty: 'Oncology nursing',
      careerStage: 'early-career',
      availability: 'weekends',
      preferences: nursePreference,
      offers: 'should be ignored',
    });
    expect(response.status).toBe(303);
    const page = decodeHtml((await nurse.get(`${path}?done=saved`).expect(200)).text);
    expect(page).toContain('Profile saved.');
    expect(page).toContain(`${nursePreference}</textarea>`);
    expect(page).not.toContain('id="offers"');
    expect(page).toContain('seen only by you and the instructors who confirm matches');
    expect((await MatchProfileModel.findOne({ cohortId, userId: ids.nurse }).lean())!.offers).toBe('');
  });

  it('when someone is not a mentor or mentee of the cohort, then the profile page answers 403; a malformed or unknown cohort 404', async () => {
    const cohortId = await seedCohort(course, { mentors: [ids.garcia], mentees: [ids.physician] });
    expect((await nurse.get(`/cohorts/${cohortId}/profile`)).status).toBe(403);
    expect((await nurse.get('/cohorts/not-an-id/profile')).status).toBe(404);
    expect((await nurse.get(`/cohorts/${new mongoose.Types.ObjectId()}/profile`)).status).toBe(404);
  });
});

describe('running, confirming and editing matches', () => {
  it('when matching runs, then suggestions show scores and reasons but nobody is paired until a manager confirms', async () => {
    const cohortId = await newCohort();
    const path = `/cohorts/${cohortId}/matching`;
    const ran = await postForm(garcia, path, `${path}/run`);
    expect(ran.status).toBe(303);
    expect(await PairModel.countDocuments({ cohortId })).toBe(0);

    const page = decodeHtml((await garcia.get(path).expect(200)).text);
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page).toMatch(/Score \d+ of 100/);
    expect(page).toContain('Both internal medicine');
    expect(page).toContain('Both oncology nursing');
    expect(page).toContain('Both free on weekends');
    // Capacity one each: two suggestions, the pharmacist waits for room.
    expect(page).toContain('Confirm all 2 suggestions');
    expect(page).toMatch(/Mentees without a mentor \(1\)[\s\S]*Mentor for Marcus Lee, PharmD/);

    const confirmed = await postForm(garcia, path, `${path}/confirm`, {
      menteeId: ids.physician,
      mentorId: ids.garcia,
    });
    expect(confirmed.status).toBe(303);
    const pairs = await pairsOfCohort(course.tenantId, cohortId);
    expect(pairs).toEqual([
      expect.objectContaining({ mentorName: 'Dr. Elena García', menteeId: ids.physician, active: true }),
    ]);
    const stored = await PairModel.findOne({ cohortId, menteeId: ids.physician }).lean();
    expect(stored!.score).toBeGreaterThan(50);
    expect(stored!.reasons).toContain('Both internal medicine');
  });

  it('when a manager confirms a mentor who is already at capacity, then 400 with the message at that field and no pair', async () => {
    const cohortId = await newCohort();
    const path = `/cohorts/${cohortId}/matching`;
    await postForm(garcia, path, `${path}/run`);
    await postForm(garcia, path, `${path}/confirm-all`);
    expect(await PairModel.countDocuments({ cohortId, active: true })).toBe(2);

    const response = await postForm(garcia, path, `${path}/confirm`, {
      menteeId: ids.pharmacist,
      mentorId: ids.lee,
    });
    expect(response.status).toBe(400);
    const page = decodeHtml(response.text);
    expect(page).toContain(
      `<a href="#mentor-${ids.pharmacist}">Jordan Lee already has 1 of 1 mentees (their capacity).`,
    );
    expect(page).toMatch(new RegExp(`id="mentor-${ids.pharmacist}-error"`));
    expect(page).toMatch(new RegExp(`<option value="${ids.lee}" selected>`));
    expect(await PairModel.exists({ cohortId, menteeId: ids.pharmacist })).toBeNull();

    // Raising Dr. Lee's capacity lets the same choice through: a small group.
    await CohortMemberModel.updateOne({ cohortId, userId: ids.lee }, { $set: { capacity: 2 } });
    expect(
      (await postForm(garcia, path, `${path}/confirm`, { menteeId: ids.pharmacist, mentorId: ids.lee }))
        .status,
    ).toBe(303);
    expect(await PairModel.countDocuments({ cohortId, mentorId: ids.lee, active: true })).toBe(2);
  });

  it('when a pair is ended, then it stays as history and the mentee is listed without a mentor again', async () => {
    const cohortId = await newCohort();
    const path = `/cohorts/${cohortId}/matching`;
    await postForm(garcia, path, `${path}/confirm`, { menteeId: ids.nurse, mentorId: ids.lee });
    const pair = await PairModel.findOne({ cohortId, menteeId: ids.nurse }).lean();
    expect((await postForm(garcia, path, `${path}/pairs/${String(pair!._id)}/end`)).status).toBe(303);
    const ended = await PairModel.findById(pair!._id).lean();
    expect(ended).toMatchObject({ active: false });
    expect(String(ended!.endedBy)).toBe(ids.garcia);
    const page = decodeHtml((await garcia.get(path).expect(200)).text);
    expect(page).toContain('Current pairs (0)');
    expect(page).toContain('Mentor for Nora Okafor, RN');
  });

  it('when a mentee or a mentor who does not manage the cohort opens matching, then 403', async () => {
    const cohortId = await newCohort();
    expect((await nurse.get(`/cohorts/${cohortId}/matching`)).status).toBe(403);
    expect((await lee.get(`/cohorts/${cohortId}/matching`)).status).toBe(403);
    const { csrf } = await openForm(lee, `/cohorts/${cohortId}/profile`);
    const run = await lee.post(`/cohorts/${cohortId}/matching/run`).type('form').send({ _csrf: csrf });
    expect(run.status).toBe(403);
    expect(await PairModel.countDocuments({ cohortId })).toBe(0);
  });
});

describe('privacy of preferences and change requests', () => {
  it('when the nurse’s private preference led to a match, then only managers see it; her mentor does not, anywhere', async () => {
    const cohortId = await newCohort();
    const path = `/cohorts/${cohortId}/matching`;
    await postForm(garcia, path, `${path}/run`);
    const managerPage = decodeHtml((await garcia.get(path).expect(200)).text);
    expect(managerPage).toContain(nursePreference);
    expect(managerPage).toContain('from private preferences');

    await postForm(garcia, path, `${path}/confirm`, { menteeId: ids.nurse, mentorId: ids.lee });
    const pair = await PairModel.findOne({ cohortId, menteeId: ids.nurse }).lean();
    expect(pair!.reasons.join(' ')).not.toContain('asked for');
    for (const mentorPage of [
      `/cohorts/${cohortId}/profile`,
      `/cohorts/${cohortId}/pairs/${String(pair!._id)}`,
    ]) {
      const response = await lee.get(mentorPage).expect(200);
      expect(decodeHtml(response.text)).not.toContain(nursePreference);
    }
  });

  it('when a mentee asks for a change, then the managers see it, the mentor cannot, and re-pairing ends the old pair', async () => {
    const cohortId = await newCohort();
    const path = `/cohorts/${cohortId}/matching`;
    await postForm(garcia, path, `${path}/confirm`, { menteeId: ids.physician, mentorId: ids.lee });
    const askPath = `/cohorts/${cohortId}/change-request`;

    const empty = await postForm(physician, askPath, askPath, { reason: '   ' });
    expect(empty.status).toBe(400);
    expect(decodeHtml(empty.text)).toContain('<a href="#reason">Say briefly why you would like a change.');

    const reason = 'Our schedules never line up.\nI work nights.';
    expect((await postForm(physician, askPath, askPath, { reason })).status).toBe(303);
    const again = await postForm(physician, `/cohorts/${cohortId}/profile`, askPath, { reason: 'Twice' });
    expect(again.status).toBe(400);

    expect((await lee.get(askPath)).status).toBe(403);
    expect((await lee.get(path)).status).toBe(403);
    const managerPage = decodeHtml((await garcia.get(path).expect(200)).text);
    expect(managerPage).toContain('Change requests (1)');
    expect(managerPage).toContain('Our schedules never line up.\nI work nights.');

    const request = await ChangeRequestModel.findOne({ cohortId, menteeId: ids.physician }).lean();
    const resolvePath = `/cohorts/${cohortId}/change-requests/${String(request!._id)}/resolve`;
    const noNote = await postForm(garcia, path, resolvePath, { action: 'close', note: '' });
    expect(noNote.status).toBe(400);
    expect(decodeHtml(noNote.text)).toContain(`<a href="#request-${String(request!._id)}-note">Write a note`);

    const repaired = await postForm(garcia, path, resolvePath, {
      action: 're-pair',
      mentorId: ids.garcia,
      note: 'Dr. García works nights too.',
    });
    expect(repaired.status).toBe(303);
    const pairs = await pairsOfCohort(course.tenantId, cohortId, { includeEnded: true });
    expect(pairs.map((pair) => [pair.mentorName, pair.active])).toEqual([
      ['Dr. Elena García', true],
      ['Jordan Lee', false],
    ]);
    const menteePage = decodeHtml((await physician.get(askPath).expect(200)).text);
    expect(menteePage).toContain('Done: you have a new mentor');
    expect(menteePage).toContain('Dr. García works nights too.');
    expect(menteePage).toContain('Your mentor now: Dr. Elena García.');
  });

  it('when a viewer has pairs, then pairsForViewer lists them from their side with the other person’s name', async () => {
    const cohortId = await newCohort();
    const path = `/cohorts/${cohortId}/matching`;
    await postForm(garcia, path, `${path}/confirm`, { menteeId: ids.nurse, mentorId: ids.lee });
    const viewer = { tenantId: course.tenantId, userId: ids.nurse, name: 'Nurse' };
    const mine = (await pairsForViewer(viewer)).filter((pair) => pair.cohortId === cohortId);
    expect(mine).toEqual([expect.objectContaining({ role: 'mentee', otherPersonName: 'Jordan Lee' })]);
  });
});
