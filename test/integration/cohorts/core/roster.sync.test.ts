import {
  CohortMemberModel,
  CohortModel,
  listCohortMembers,
  reconcileCohortRosters,
  startCohortRosterSync,
} from '../../../../src/cohorts';
import { createCohort } from '../../../../src/cohorts/core/cohort.service';
import { queueRunningCohortRosterSyncs } from '../../../../src/cohorts/core/cohort.rosterSync';
import { OutboxJobModel } from '../../../../src/lti/services';
import { EnrollmentModel, UserModel } from '../../../../src/tenancy';
import { createLogger } from '../../../../src/shared/logger';
import {
  decodeHtml,
  jobReaches,
  openForm,
  postForm,
  sandboxCourseIn,
  seedCohort,
  signedInAs,
  useTestRounds,
  type Agent,
  type SandboxCourse,
} from '../../../support';

// The roster comes from the sandbox LMS's NRPS service five members a page (`?limit=5`): twelve people on three
// pages. Cohorts of the course follow it once the sync has been applied.
const rounds = useTestRounds({ nrpsPageSize: 5 });
let course: SandboxCourse;
let instructor: Agent;
let cohortId: string;
let manualCohortId: string;
let rosterSync: { stop(): Promise<void> };

async function member(cohort: string, subject: string) {
  const user = await UserModel.findOne({ tenantId: course.tenantId, subject }).lean();
  return user && CohortMemberModel.findOne({ cohortId: cohort, userId: user._id }).lean();
}

beforeAll(async () => {
  rosterSync = startCohortRosterSync({ config: rounds.config, logger: createLogger('silent') });
  instructor = (await signedInAs(rounds, 'mentor')).agent;
  await signedInAs(rounds, 'nurse');
  await signedInAs(rounds, 'physician');
  await signedInAs(rounds, 'pharmacist');
  course = await sandboxCourseIn(rounds);
  const garcia = await course.userId('6');
  cohortId = await createCohort(
    {
      tenantId: course.tenantId,
      userId: garcia,
      name: 'Dr. García',
      courseRole: 'instructor',
      courseId: course.courseId,
    },
    {
      name: 'Roster-fed mentoring',
      description: '',
      kind: 'mentoring',
      timeZone: 'America/Chicago',
      startDate: '2026-01-01',
      endDate: '2099-12-31',
      capacityPerMentor: 3,
      moduleSlugs: [],
      groundRules: '',
      rosterMode: 'course',
    },
  );
  // Someone who launched once and has since left the course (the LMS no longer lists them), in the cohort.
  const departed = await UserModel.create({
    tenantId: course.tenantId,
    subject: '99',
    name: 'Former Resident',
  });
  await EnrollmentModel.create({
    tenantId: course.tenantId,
    courseId: course.courseId,
    userId: departed._id,
    role: 'learner',
    active: true,
  });
  await CohortMemberModel.create({
    tenantId: course.tenantId,
    cohortId,
    userId: departed._id,
    role: 'mentee',
    source: 'roster',
  });
  manualCohortId = await seedCohort(course, { name: 'Hand-picked', mentees: [String(departed._id)] });
  // Hand edits an instructor made before the sync: the pharmacist made a mentor, the physician taken off.
  const people = (await openForm(instructor, `/cohorts/${cohortId}/people`)).html;
  expect(people).toContain('Sync roster now');
  const peoplePath = `/cohorts/${cohortId}/people`;
  const madeMentor = await postForm(
    instructor,
    peoplePath,
    `${peoplePath}/${await course.userId('5')}/role`,
    {
      role: 'mentor',
    },
  );
  const removed = await postForm(instructor, peoplePath, `${peoplePath}/${await course.userId('4')}/remove`);
  expect([madeMentor.status, removed.status]).toEqual([303, 303]);
});

afterAll(() => rosterSync.stop());

describe('when an instructor syncs the roster from the cohort’s people page', () => {
  let posted: Awaited<ReturnType<Agent['post']>>;
  let outcome: string | null | undefined;

  beforeAll(async () => {
    posted = await postForm(instructor, `/cohorts/${cohortId}/people`, `/cohorts/${cohortId}/people/sync`);
    const job = await OutboxJobModel.findOne({ tenantId: course.tenantId, kind: 'roster-sync' }).lean();
    outcome = (await jobReaches(String(job!._id), 'sent')).outcome;
  });

  it('then the sync is queued and every page of the roster is read', () => {
    expect([posted.status, posted.headers.location]).toEqual([
      303,
      `/cohorts/${cohortId}/people?done=sync-queued`,
    ]);
    expect(outcome).toMatch(/12 people on 3 pages/);
  });

  it('then the course’s active learners, including those only on pages 2 and 3, are mentees of the course-mode cohort', async () => {
    for (const subject of ['3', '8', '9', '10', '11', '12', '13']) {
      expect(await member(cohortId, subject)).toMatchObject({
        role: 'mentee',
        active: true,
        source: 'roster',
      });
    }
    // A suspended enrolment is not brought in; instructors and administrators never are.
    for (const subject of ['14', '6', '2']) expect(await member(cohortId, subject)).toBeNull();
  });

  it('then someone no longer listed is marked inactive with the day they left, and kept, in every cohort of the course', async () => {
    for (const cohort of [cohortId, manualCohortId]) {
      const departed = await member(cohort, '99');
      expect(departed).toMatchObject({ active: false, role: 'mentee' });
      expect(departed!.leftAt).toBeInstanceOf(Date);
    }
    const listed = await listCohortMembers(course.tenantId, cohortId);
    expect(listed.find((person) => person.name === 'Former Resident')).toMatchObject({ active: false });
    expect(
      (await listCohortMembers(course.tenantId, cohortId, { activeOnly: true })).map((p) => p.name),
    ).not.toContain('Former Resident');
  });

  it('then hand edits survive: the mentor made by hand stays a mentor, the person removed by hand stays out', async () => {
    expect(await member(cohortId, '5')).toMatchObject({ role: 'mentor', active: true, source: 'roster' });
    expect(await member(cohortId, '4')).toMatchObject({ active: false, removedByHand: true });
  });

  it('then a manual cohort gains nobody from the roster', async () => {
    expect(await CohortMemberModel.countDocuments({ cohortId: manualCohortId })).toBe(1);
  });

  it('then the people page shows the sync’s result, who left the course and when, and who was removed by hand', async () => {
    const html = decodeHtml((await instructor.get(`/cohorts/${cohortId}/people`).expect(200)).text);
    expect(html).toMatch(/<span class="status status--sent">Done<\/span>/);
    expect(html).toMatch(/Roster synced: 12 people on 3 pages/);
    expect(html).toMatch(
      /Former Resident[\s\S]*?Inactive: left the course on \d{1,2} \w{3} \d{4} \(America\/Chicago\)/,
    );
    expect(html).toMatch(/Dr\. Priya Raman[\s\S]*?Inactive: removed by hand on/);
  });
});

describe('the scheduled sync', () => {
  it('when it runs, then it queues one roster sync per course with a running cohort, and none for ended ones', async () => {
    await CohortModel.updateMany({ tenantId: course.tenantId }, { $set: { endDate: '2020-12-31' } });
    expect(await queueRunningCohortRosterSyncs()).toBe(0);
    await CohortModel.updateOne({ _id: cohortId }, { $set: { endDate: '2099-12-31' } });
    expect(await queueRunningCohortRosterSyncs()).toBe(1);
    const job = await OutboxJobModel.findOne({
      tenantId: course.tenantId,
      kind: 'roster-sync',
      status: { $ne: 'sent' },
    }).lean();
    expect((await jobReaches(String(job!._id), 'sent')).outcome).toMatch(/12 people on 3 pages/);
  });

  it('when the departed person is enrolled again and a sync runs, then they are active again', async () => {
    // Listed again by the LMS is out of the sandbox's hands; the enrollment is what a relaunch would write.
    const departed = await UserModel.findOne({ tenantId: course.tenantId, subject: '99' }).lean();
    await EnrollmentModel.updateOne(
      { courseId: course.courseId, userId: departed!._id },
      { $set: { active: true } },
    );
    await reconcileCohortRosters(course.tenantId, course.courseId);
    expect(await member(cohortId, '99')).toMatchObject({ active: true });
    expect((await member(cohortId, '99'))!.leftAt).toBeUndefined();
  });
});
