import { roleUri } from '../../../../src/sandbox/sandbox.people';
import { reconcileCohortRosters } from '../../../../src/cohorts';
import {
  ReflectionAssignmentModel,
  ReflectionVersionModel,
  submitReflection,
} from '../../../../src/cohorts/reflections';
import { CohortSessionModel, ratingSummary } from '../../../../src/cohorts/sessions';
import { SessionRatingModel } from '../../../../src/cohorts/sessions/rating.model';
import { EnrollmentModel } from '../../../../src/tenancy';
import {
  decodeHtml,
  sandboxCourseIn,
  seedCohort,
  signedInAs,
  signedInAsMember,
  useTestRounds,
  type Agent,
} from '../../../support';

// Security review of issue 12 (cohorts): what an attacker inside the tenant could reach that the rules forbid.
const rounds = useTestRounds();
let formerMentor: Agent;
let instructor: Agent;
let course: Awaited<ReturnType<typeof sandboxCourseIn>>;
let haddad: string;
let nora: string;
let garcia: string;

beforeAll(async () => {
  instructor = (await signedInAs(rounds, 'mentor')).agent;
  await signedInAs(rounds, 'nurse');
  formerMentor = (
    await signedInAsMember(rounds, { sub: '20', name: 'Dr. Omar Haddad', roles: [roleUri.mentor] })
  ).agent;
  course = await sandboxCourseIn(rounds);
  [garcia, haddad, nora] = (await Promise.all(['6', '20', '3'].map((sub) => course.userId(sub)))) as [
    string,
    string,
    string,
  ];
});

async function csrfOf(agent: Agent, path: string): Promise<string> {
  const page = (await agent.get(path).expect(200)).text;
  return /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
}

describe('a mentor who left the course', () => {
  it('when the roster sync marks the mentor inactive, then their old mentee’s reflections are out of reach (queue, page, grade)', async () => {
    const cohortId = await seedCohort(course, {
      mentors: [haddad],
      mentees: [nora],
      pairs: [[haddad, nora]],
    });
    const assignment = await ReflectionAssignmentModel.create({
      tenantId: course.tenantId,
      cohortId,
      courseId: course.courseId,
      title: 'After a night shift',
      prompt: 'What stayed with you?',
      rubric: {
        criteria: [
          {
            title: 'Insight',
            levels: [
              { label: 'Some', points: 1 },
              { label: 'Deep', points: 2 },
            ],
          },
        ],
      },
      scoreMaximum: 2,
      dueAt: new Date('2099-01-01T00:00:00Z'),
    });
    const viewer = {
      tenantId: course.tenantId,
      userId: nora,
      name: 'Nora Okafor',
      courseRole: 'learner' as const,
      courseId: course.courseId,
    };
    await submitReflection(viewer, cohortId, String(assignment._id), 'A private reflection about my patient');
    const version = await ReflectionVersionModel.findOne({ assignmentId: assignment._id }).lean();
    const gradingPath = `/grading/${String(version!._id)}`;
    // While a mentor of the cohort, they read it: the baseline.
    const csrf = await csrfOf(formerMentor, gradingPath);

    await EnrollmentModel.updateOne(
      { tenantId: course.tenantId, courseId: course.courseId, userId: haddad },
      { $set: { active: false } },
    );
    await reconcileCohortRosters(course.tenantId, course.courseId);

    const page = await formerMentor.get(gradingPath).set('Accept', 'text/html');
    expect(page.status).toBe(403);
    expect(page.text).not.toContain('A private reflection about my patient');
    const queue = decodeHtml((await formerMentor.get('/grading').expect(200)).text);
    expect(queue).not.toContain('After a night shift');
    const graded = await formerMentor
      .post(gradingPath)
      .type('form')
      .send({ _csrf: csrf, action: 'grade', level_0: '1', feedback: 'Still here' });
    expect(graded.status).toBe(403);
    const after = await ReflectionVersionModel.findById(version!._id).lean();
    expect(after!.status).toBe('submitted');
  });
});

describe('ratings of a one-to-one session', () => {
  it('when the mentee rates a one-to-one session, then the program manager never sees that rating (the rater is obvious)', async () => {
    const cohortId = await seedCohort(course, {
      mentors: [garcia],
      mentees: [nora],
      pairs: [[garcia, nora]],
    });
    const session = await CohortSessionModel.create({
      tenantId: course.tenantId,
      cohortId,
      title: 'Check-in with Nora',
      kind: 'one-to-one',
      mentorId: garcia,
      menteeId: nora,
      location: '',
      startsAt: new Date('2026-02-02T18:00:00Z'),
      durationMinutes: 30,
      recurrence: 'none',
      createdBy: garcia,
    });
    await SessionRatingModel.create({
      tenantId: course.tenantId,
      cohortId,
      sessionId: session._id,
      occurrenceStart: session.startsAt,
      userId: nora,
      score: 1,
      comment: 'I dread these',
      ratedAt: new Date('2026-02-02T19:00:00Z'),
    });
    expect(await ratingSummary(course.tenantId, cohortId)).toEqual([]);
    const detail = decodeHtml(
      (await instructor.get(`/cohorts/${cohortId}/sessions/${String(session._id)}`).expect(200)).text,
    );
    expect(detail).not.toMatch(/1 rating, mean/);
    const health = decodeHtml((await instructor.get(`/cohorts/${cohortId}/health`).expect(200)).text);
    expect(health).not.toContain('Check-in with Nora</td>');
    expect(health).not.toMatch(/1 rating/);
  });
});
