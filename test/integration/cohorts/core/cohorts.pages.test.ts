import mongoose from 'mongoose';
import request from 'supertest';
import { CohortMemberModel, CohortModel } from '../../../../src/cohorts';
import {
  decodeHtml,
  instructorRoles,
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
/** Dr. García: an instructor of the sandbox course. */
let instructor: Agent;
let admin: Agent;
let nurse: Agent;
let physician: Agent;

const goodForm = {
  name: 'Night-shift mentoring',
  description: 'Residents and nurses on nights.',
  kind: 'mentoring',
  timeZone: 'America/Chicago',
  startDate: '2026-09-01',
  endDate: '2027-02-28',
  capacityPerMentor: '2',
  rosterMode: 'course',
  moduleSlugs: 'stress-first-aid',
};

beforeAll(async () => {
  instructor = (await signedInAs(rounds, 'mentor')).agent;
  admin = (await signedInAs(rounds, 'cmeAdmin')).agent;
  nurse = (await signedInAs(rounds, 'nurse')).agent;
  physician = (await signedInAs(rounds, 'physician')).agent;
  course = await sandboxCourseIn(rounds);
});

async function memberRole(cohortId: string, subject: string) {
  const member = await CohortMemberModel.findOne({ cohortId, userId: await course.userId(subject) }).lean();
  return member && { role: member.role, active: member.active, source: member.source };
}

describe('creating a cohort', () => {
  let cohortId: string;

  it('when an instructor opens /cohorts, then "New cohort" is offered; a learner is not offered it', async () => {
    expect((await instructor.get('/cohorts').expect(200)).text).toContain('href="/cohorts/new"');
    expect((await nurse.get('/cohorts').expect(200)).text).not.toContain('href="/cohorts/new"');
  });

  it('when the new cohort form opens, then it offers both kinds, the modules and a time zone', async () => {
    const { html } = await openForm(instructor, '/cohorts/new');
    expect(html).toContain('<h1>New cohort</h1>');
    expect(html).toMatch(/id="kind-peer-circle"/);
    expect(html).toMatch(/name="moduleSlugs" value="stress-first-aid"/);
    expect(html).toMatch(/id="time-zone" name="timeZone" type="text" value="[A-Za-z_/]+"/);
  });

  it('when the capacity is 0 and the end is before the start, then 400, each message at its field, all typed text kept, nothing stored', async () => {
    const response = await postForm(instructor, '/cohorts/new', '/cohorts/new', {
      ...goodForm,
      capacityPerMentor: '0',
      endDate: '2026-08-01',
    });
    expect(response.status).toBe(400);
    const html = decodeHtml(response.text);
    expect(html).toContain('<title>Error: New cohort');
    expect(html).toMatch(
      /href="#capacity-per-mentor">Enter how many mentees one mentor takes: a whole number from 1 to 50\./,
    );
    expect(html).toMatch(/href="#end-date">The end date must be on or after the start date\./);
    expect(html).toMatch(
      /id="capacity-error"><span class="visually-hidden">Error: <\/span>Enter how many mentees/,
    );
    expect(html).toContain('value="Night-shift mentoring"');
    expect(html).toContain('Residents and nurses on nights.</textarea>');
    expect(html).toContain('value="0"');
    expect(html).toContain('value="2026-08-01"');
    expect(html).toMatch(/value="stress-first-aid" checked/);
    expect(await CohortModel.countDocuments({ name: goodForm.name })).toBe(0);
  });

  it('when the form is right, then the cohort is made in the launched course and the course’s learners join as mentees', async () => {
    const response = await postForm(instructor, '/cohorts/new', '/cohorts/new', goodForm);
    expect(response.status).toBe(303);
    const cohort = await CohortModel.findOne({ tenantId: course.tenantId, name: goodForm.name }).lean();
    cohortId = String(cohort!._id);
    expect(response.headers.location).toBe(`/cohorts/${cohortId}/settings?done=created`);
    expect(cohort).toMatchObject({
      courseId: new mongoose.Types.ObjectId(course.courseId),
      kind: 'mentoring',
      capacityPerMentor: 2,
      moduleSlugs: ['stress-first-aid'],
      timeZone: 'America/Chicago',
    });
    expect(await memberRole(cohortId, '3')).toEqual({ role: 'mentee', active: true, source: 'roster' });
    expect(await memberRole(cohortId, '4')).toEqual({ role: 'mentee', active: true, source: 'roster' });
    // Instructors and administrators are never made members by the roster.
    expect(await memberRole(cohortId, '6')).toBeNull();
    expect(await memberRole(cohortId, '2')).toBeNull();
  });

  it('when the same name is used again in the course, then 400 with the message at the name', async () => {
    const response = await postForm(instructor, '/cohorts/new', '/cohorts/new', goodForm);
    expect(response.status).toBe(400);
    expect(decodeHtml(response.text)).toMatch(
      /id="cohort-name-error"><span class="visually-hidden">Error: <\/span>This course already has a cohort with this name/,
    );
  });

  it('when a learner who never opened Rounds launches and opens /cohorts, then they are in it as a mentee', async () => {
    const late = (await signedInAsMember(rounds, { sub: '9', name: 'Aisha Bello, MD' })).agent;
    const page = decodeHtml((await late.get('/cohorts').expect(200)).text);
    expect(page).toContain('Night-shift mentoring');
    expect(page).toMatch(/You are: <strong>Mentee<\/strong>/);
    expect(await memberRole(cohortId, '9')).toEqual({ role: 'mentee', active: true, source: 'roster' });
  });

  it('when the instructor opens /cohorts, then the cohort is listed under the course with its people and settings', async () => {
    const page = decodeHtml((await instructor.get('/cohorts').expect(200)).text);
    expect(page).toContain('Cohorts you run');
    expect(page).toContain('Clinician Well-being & CME (Sandbox)');
    expect(page).toContain(`href="/cohorts/${cohortId}/settings"`);
  });

  describe('its settings', () => {
    const settings = () => `/cohorts/${cohortId}/settings`;

    it('when the settings open, then the form shows what is stored and the kind is fixed', async () => {
      const { html } = await openForm(instructor, settings());
      expect(html).toContain('<h1>Cohort settings</h1>');
      expect(html).toContain('aria-label="Night-shift mentoring"');
      expect(html).not.toContain('name="kind"');
      expect(decodeHtml(html)).toContain('Mentoring cohort (fixed once created)');
      expect(html).toContain('value="2027-02-28"');
    });

    it('when a capacity of 0 is saved, then 400 with the message at the field and the typed values kept', async () => {
      const response = await postForm(instructor, settings(), settings(), {
        ...goodForm,
        name: 'Night-shift mentoring (renamed)',
        capacityPerMentor: '0',
      });
      expect(response.status).toBe(400);
      const html = decodeHtml(response.text);
      expect(html).toContain('value="Night-shift mentoring (renamed)"');
      expect(html).toMatch(/id="capacity-error">.*from 1 to 50/);
      expect(await CohortModel.findById(cohortId).lean()).toMatchObject({
        name: goodForm.name,
        capacityPerMentor: 2,
      });
    });

    it('when good settings are saved with another kind posted, then they are stored and the kind stays', async () => {
      const response = await postForm(instructor, settings(), settings(), {
        ...goodForm,
        kind: 'peer-circle',
        capacityPerMentor: '4',
        endDate: '2027-06-30',
        moduleSlugs: undefined,
      });
      expect([response.status, response.headers.location]).toEqual([303, `${settings()}?done=saved`]);
      expect(await CohortModel.findById(cohortId).lean()).toMatchObject({
        kind: 'mentoring',
        capacityPerMentor: 4,
        endDate: '2027-06-30',
        moduleSlugs: [],
      });
      expect((await instructor.get(`${settings()}?done=saved`).expect(200)).text).toContain(
        'Settings saved.',
      );
    });

    it('when a learner or an invited-less stranger tries the settings, then 403 and nothing changes', async () => {
      expect((await nurse.get(settings()).set('Accept', 'text/html')).status).toBe(403);
      const { csrf } = await openForm(nurse, '/cohorts');
      const posted = await nurse
        .post(settings())
        .type('form')
        .set('Accept', 'text/html')
        .send({ ...goodForm, name: 'Taken over', _csrf: csrf });
      expect(posted.status).toBe(403);
      expect((await nurse.get('/cohorts/new').set('Accept', 'text/html')).status).toBe(403);
      expect(await CohortModel.exists({ name: 'Taken over' })).toBeNull();
    });

    it('when the cohort is archived, then members no longer see it in their list and the admin can bring it back', async () => {
      const archived = await postForm(instructor, settings(), `${settings()}/archive`, { archived: 'yes' });
      expect(archived.status).toBe(303);
      expect((await physician.get('/cohorts').expect(200)).text).not.toContain('Night-shift mentoring');
      expect(decodeHtml((await admin.get('/cohorts').expect(200)).text)).toMatch(
        /Night-shift mentoring<\/a>\s*<span class="tag">Archived<\/span>/,
      );
      await postForm(admin, settings(), `${settings()}/archive`, { archived: 'no' });
      expect((await physician.get('/cohorts').expect(200)).text).toContain('Night-shift mentoring');
    });
  });
});

describe('who may reach a cohort', () => {
  let cohortId: string;
  let foreignId: string;

  beforeAll(async () => {
    cohortId = await seedCohort(course, {
      name: 'Pharmacy circle',
      kind: 'peer-circle',
      members: [await course.userId('3')],
    });
    const foreign = await CohortModel.create({
      tenantId: new mongoose.Types.ObjectId(),
      courseId: new mongoose.Types.ObjectId(),
      name: 'Elsewhere',
      kind: 'mentoring',
      timeZone: 'UTC',
      startDate: '2026-01-01',
      endDate: '2099-12-31',
    });
    foreignId = String(foreign._id);
  });

  it('when an instructor of another course opens its settings or people, then 403, and it is not in their list', async () => {
    const other = (
      await signedInAsMember(rounds, {
        sub: '30',
        name: 'Dr. Ruth Adeyemi',
        roles: instructorRoles,
        context: { id: '70', title: 'Surgery residency' },
      })
    ).agent;
    for (const page of ['settings', 'people']) {
      expect((await other.get(`/cohorts/${cohortId}/${page}`).set('Accept', 'text/html')).status).toBe(403);
    }
    const list = await other.get('/cohorts').expect(200);
    expect(list.text).not.toContain('Pharmacy circle');
    expect(list.text).toContain('href="/cohorts/new"');
  });

  it('when a learner of another course opens the cohort’s people, then 403', async () => {
    const stranger = (
      await signedInAsMember(rounds, {
        sub: '31',
        name: 'Sam Other',
        context: { id: '71', title: 'Other course' },
      })
    ).agent;
    expect((await stranger.get(`/cohorts/${cohortId}/people`).set('Accept', 'text/html')).status).toBe(403);
    expect((await stranger.get('/cohorts').expect(200)).text).not.toContain('Pharmacy circle');
  });

  it('when anyone asks for another tenant’s cohort or a malformed id, then 404 and nothing of it shows', async () => {
    for (const agent of [nurse, instructor, admin]) {
      const response = await agent.get(`/cohorts/${foreignId}/settings`).set('Accept', 'text/html');
      expect(response.status).toBe(404);
      expect(response.text).not.toContain('Elsewhere');
      expect((await agent.get('/cohorts/not-an-id/people').set('Accept', 'text/html')).status).toBe(404);
    }
  });

  it('when a circle member opens /cohorts, then they see it with their role; nobody signed in gets 401', async () => {
    expect(decodeHtml((await nurse.get('/cohorts').expect(200)).text)).toMatch(
      /Pharmacy circle<\/a>\s*<span class="cohort-list__facts">Peer-support circle · You are: <strong>Member<\/strong>/,
    );
    const anonymous = await request(rounds.url).get('/cohorts').set('Accept', 'text/html');
    expect(anonymous.status).toBe(401);
  });
});
