import { OutboxJobModel } from '../../../../src/lti/services/outbox.model';
import { requestRosterSync } from '../../../../src/lti/services/roster.service';
import { sandboxRoster } from '../../../../src/sandbox/sandbox.people';
import { EnrollmentModel } from '../../../../src/tenancy/enrollment.model';
import { UserModel } from '../../../../src/tenancy/user.model';
import {
  adminAgent,
  jobReaches,
  openOutboxPage,
  sandboxCourseIn,
  signedInAs,
  useTestRounds,
  type Agent,
  type SandboxCourse,
} from '../../../support';

// The course roster comes from the sandbox LMS's Names and Role Provisioning service, through the outbox.
// Five members a page, as `?limit=5`: the sandbox's twelve members arrive on three pages.
const rounds = useTestRounds({ nrpsPageSize: 5 });
let admin: Agent;
let course: SandboxCourse;

beforeAll(async () => {
  admin = await adminAgent(rounds);
  course = await sandboxCourseIn(rounds);
});

async function enrollmentOf(subject: string) {
  const user = await UserModel.findOne({ tenantId: course.tenantId, subject }).lean();
  return user && EnrollmentModel.findOne({ courseId: course.courseId, userId: user._id }).lean();
}

describe('when an admin syncs the roster from /admin/outbox', () => {
  let outboxPage: string;
  let posted: Awaited<ReturnType<Agent['post']>>;
  let outcome: string | null | undefined;
  let usersBefore: number;
  let departedId: unknown;

  beforeAll(async () => {
    // Someone who launched once and has since left the course (the LMS no longer lists them).
    const departed = await UserModel.create({
      tenantId: course.tenantId,
      subject: '99',
      name: 'Former Resident',
    });
    departedId = departed._id;
    await EnrollmentModel.create({
      tenantId: course.tenantId,
      courseId: course.courseId,
      userId: departed._id,
      role: 'learner',
      active: true,
    });
    usersBefore = await UserModel.countDocuments({ tenantId: course.tenantId });
    const { html, csrf } = await openOutboxPage(admin);
    outboxPage = html;
    posted = await admin
      .post('/admin/outbox/roster-sync')
      .type('form')
      .send({ _csrf: csrf, courseId: course.courseId });
    const job = await OutboxJobModel.findOne({ tenantId: course.tenantId, kind: 'roster-sync' }).lean();
    outcome = job ? (await jobReaches(String(job._id), 'sent')).outcome : undefined;
  });

  it('then the page offers "Sync roster now" for the course, and the form queues the sync', () => {
    expect(outboxPage).toContain('Sync roster now<span class="visually-hidden"> of Clinician Well-being');
    expect([posted.status, posted.headers.location]).toEqual([303, '/admin/outbox?done=roster-queued']);
  });

  it('then every page of the roster is read, and the outbox page says so', async () => {
    expect(outcome).toMatch(/12 people on 3 pages/);
    const page = await admin.get('/admin/outbox?done=roster-queued').expect(200);
    expect(page.text).toContain('Roster of Clinician Well-being');
    expect(page.text).toMatch(/Roster synced: 12 people on 3 pages/);
  });

  it('then everyone listed, including those only on pages 2 and 3, is known to Rounds with their role', async () => {
    for (const member of sandboxRoster) {
      const user = await UserModel.findOne({ tenantId: course.tenantId, subject: member.userId }).lean();
      expect(user).toMatchObject({ name: member.name, email: member.email });
    }
    expect(await enrollmentOf('6')).toMatchObject({
      role: 'instructor',
      active: true,
      ltiRoles: ['Instructor', 'Mentor'],
    });
    expect(await enrollmentOf('2')).toMatchObject({ role: 'admin', active: true });
    expect(await enrollmentOf('13')).toMatchObject({ role: 'learner', active: true, ltiRoles: ['Learner'] });
    // The administrator had launched already: everyone else is new.
    expect(await UserModel.countDocuments({ tenantId: course.tenantId })).toBe(
      usersBefore + sandboxRoster.length - 1,
    );
  });

  it('then a suspended enrolment and someone no longer listed are marked inactive, and never deleted', async () => {
    expect(await enrollmentOf('14')).toMatchObject({ role: 'learner', active: false });
    expect(await enrollmentOf('99')).toMatchObject({ active: false });
    expect(await UserModel.exists({ _id: departedId })).toBeTruthy();
  });
});

describe('a roster sync and the people in it', () => {
  it('when a roster sync marked someone inactive and they launch again, then they are active again', async () => {
    // The nurse launches (Rounds remembers what it wrote for her), then a roster sync runs. The sandbox lists
    // her as active, so the sync's "marked inactive" is written by hand, as a sync that saw her leave would.
    await signedInAs(rounds, 'nurse');
    const { jobId } = await requestRosterSync(
      {
        tenantId: course.tenantId,
        userId: 'x',
        courseId: course.courseId,
        role: 'admin',
        name: 'A',
        courseTitle: 'Clinician Well-being',
      },
      course.courseId,
    );
    await jobReaches(jobId, 'sent');
    await EnrollmentModel.updateOne(
      { courseId: course.courseId, userId: await course.userId('3') },
      { $set: { active: false } },
    );
    expect(await enrollmentOf('3')).toMatchObject({ active: false });
    expect((await signedInAs(rounds, 'nurse')).launch.headers.location).toBe('/home');
    expect(await enrollmentOf('3')).toMatchObject({ active: true });
  });

  it('when a learner asks for a roster sync, or an admin names a course of another tenant, then it is refused', async () => {
    const learner = {
      tenantId: course.tenantId,
      userId: 'x',
      courseId: course.courseId,
      role: 'learner' as const,
      name: 'L',
      courseTitle: 'Clinician Well-being',
    };
    await expect(requestRosterSync(learner)).rejects.toThrow(
      /Only administrators and the course’s instructors/,
    );
    const otherTenantsAdmin = { ...learner, tenantId: '0123456789abcdef01234567', role: 'admin' as const };
    await expect(requestRosterSync(otherTenantsAdmin, course.courseId)).rejects.toThrow('No such course.');
  });
});
