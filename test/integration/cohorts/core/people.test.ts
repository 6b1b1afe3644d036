import { CohortMemberModel, PairModel } from '../../../../src/cohorts';
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
let instructor: Agent;
let nurse: Agent;
let ids: Record<'nurse' | 'physician' | 'pharmacist' | 'jordan' | 'garcia', string>;
let cohortId: string;
const people = () => `/cohorts/${cohortId}/people`;

beforeAll(async () => {
  instructor = (await signedInAs(rounds, 'mentor')).agent;
  nurse = (await signedInAs(rounds, 'nurse')).agent;
  await signedInAs(rounds, 'physician');
  await signedInAs(rounds, 'pharmacist');
  await signedInAsMember(rounds, { sub: '8', name: 'Jordan Ellis, RN' });
  course = await sandboxCourseIn(rounds);
  ids = {
    nurse: await course.userId('3'),
    physician: await course.userId('4'),
    pharmacist: await course.userId('5'),
    jordan: await course.userId('8'),
    garcia: await course.userId('6'),
  };
  cohortId = await seedCohort(course, {
    name: 'ICU mentoring',
    capacityPerMentor: 2,
    mentees: [ids.nurse, ids.physician],
  });
});

async function stored(userId: string) {
  return CohortMemberModel.findOne({ cohortId, userId }).lean();
}

describe('the people page of a cohort', () => {
  it('when the instructor opens it, then members and the course’s other people are listed, the LMS’s mentor hint shown', async () => {
    const html = decodeHtml((await openForm(instructor, people())).html);
    expect(html).toContain('<h1>People of ICU mentoring</h1>');
    expect(html).toMatch(/Nora Okafor, RN[\s\S]*?Mentee[\s\S]*?Added by hand[\s\S]*?Active/);
    // Dr. García is not in the cohort; her LMS roles (Mentor) suggest her as one.
    expect(html).toMatch(/Dr\. Elena García <span class="tag">LMS suggests as mentor<\/span>/);
    expect(html).toMatch(/Add as Mentor<span class="visually-hidden">: Dr\. Elena García/);
    expect(html).toContain('No roster sync has run for this course yet.');
  });

  it('when the instructor adds Dr. García and Jordan as mentors, then they are mentors with the cohort’s capacity', async () => {
    for (const userId of [ids.garcia, ids.jordan]) {
      const response = await postForm(instructor, people(), `${people()}/add`, { userId, role: 'mentor' });
      expect([response.status, response.headers.location]).toEqual([303, `${people()}?done=added`]);
      expect(await stored(userId)).toMatchObject({ role: 'mentor', active: true, source: 'manual' });
    }
    const html = decodeHtml((await instructor.get(people()).expect(200)).text);
    expect(html).toMatch(/Dr\. Elena García[\s\S]*?0 of 2/);
  });

  it('when a mentoring cohort is given a facilitator, or someone already in it is added again, then 400 with the reason', async () => {
    const wrongRole = await postForm(instructor, people(), `${people()}/add`, {
      userId: ids.pharmacist,
      role: 'facilitator',
    });
    expect(wrongRole.status).toBe(400);
    expect(decodeHtml(wrongRole.text)).toContain('A mentoring cohort has mentors and mentees.');
    const again = await postForm(instructor, people(), `${people()}/add`, {
      userId: ids.nurse,
      role: 'mentee',
    });
    expect(again.status).toBe(400);
    expect(decodeHtml(again.text)).toContain('This person is already in the cohort.');
  });

  it('when a mentor’s capacity is set to 0, then 400 with the message at that mentor’s field and 0 kept in it', async () => {
    const response = await postForm(instructor, people(), `${people()}/${ids.jordan}/capacity`, {
      capacity: '0',
    });
    expect(response.status).toBe(400);
    const html = decodeHtml(response.text);
    expect(html).toContain(`href="#capacity-${ids.jordan}"`);
    expect(html).toMatch(
      new RegExp(
        `id="capacity-${ids.jordan}-error"><span class="visually-hidden">Error: </span>Enter how many mentees`,
      ),
    );
    expect(html).toMatch(
      new RegExp(`id="capacity-${ids.jordan}" name="capacity" type="text" inputmode="numeric" value="0"`),
    );
    expect((await stored(ids.jordan))!.capacity).toBeUndefined();
  });

  it('when a mentor with two mentees is given a capacity of 1, then it is refused; 4 is saved', async () => {
    for (const menteeId of [ids.nurse, ids.physician]) {
      await PairModel.create({
        tenantId: course.tenantId,
        cohortId,
        mentorId: ids.jordan,
        menteeId,
        confirmedBy: ids.garcia,
        confirmedAt: new Date(),
      });
    }
    const refused = await postForm(instructor, people(), `${people()}/${ids.jordan}/capacity`, {
      capacity: '1',
    });
    expect(refused.status).toBe(400);
    expect(decodeHtml(refused.text)).toContain('This mentor already has 2 mentees. Enter 2 or more');
    const saved = await postForm(instructor, people(), `${people()}/${ids.jordan}/capacity`, {
      capacity: '4',
    });
    expect(saved.status).toBe(303);
    expect((await stored(ids.jordan))!.capacity).toBe(4);
  });

  it('when someone in an active pair is made a mentee, then it is refused with the way out', async () => {
    const response = await postForm(instructor, people(), `${people()}/${ids.jordan}/role`, {
      role: 'mentee',
    });
    expect(response.status).toBe(400);
    expect(decodeHtml(response.text)).toContain(
      'End the pair on the Matching page before changing their role.',
    );
    expect(await stored(ids.jordan)).toMatchObject({ role: 'mentor' });
  });

  it('when a mentor is removed, then they are inactive, kept, and their pairs have ended; restoring brings them back', async () => {
    const removed = await postForm(instructor, people(), `${people()}/${ids.jordan}/remove`);
    expect(removed.status).toBe(303);
    expect(await stored(ids.jordan)).toMatchObject({ active: false, removedByHand: true });
    expect(await PairModel.countDocuments({ cohortId, mentorId: ids.jordan, active: true })).toBe(0);
    expect(await PairModel.countDocuments({ cohortId, mentorId: ids.jordan })).toBe(2);
    const html = decodeHtml((await instructor.get(people()).expect(200)).text);
    expect(html).toMatch(
      /Jordan Ellis, RN[\s\S]*?Inactive: removed by hand on \d{1,2} \w{3} \d{4} \(America\/Chicago\)/,
    );
    const restored = await postForm(instructor, people(), `${people()}/${ids.jordan}/restore`);
    expect(restored.status).toBe(303);
    expect(await stored(ids.jordan)).toMatchObject({ active: true, removedByHand: false });
  });

  it('when a mentee opens the page or posts to it, then 403 and nothing changes', async () => {
    expect((await nurse.get(people()).set('Accept', 'text/html')).status).toBe(403);
    const { csrf } = await openForm(nurse, '/cohorts');
    const posted = await nurse
      .post(`${people()}/${ids.physician}/remove`)
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: csrf });
    expect(posted.status).toBe(403);
    expect(await stored(ids.physician)).toMatchObject({ active: true });
  });

  it('when the instructor asks for a roster sync, then it is queued and the page says so', async () => {
    const response = await postForm(instructor, people(), `${people()}/sync`);
    expect([response.status, response.headers.location]).toEqual([303, `${people()}?done=sync-queued`]);
    expect((await instructor.get(`${people()}?done=sync-queued`).expect(200)).text).toContain(
      'Roster sync queued.',
    );
  });
});
