import { ReflectionAssignmentModel, submitReflection } from '../../../../src/cohorts/reflections';
import {
  decodeHtml,
  sandboxCourseIn,
  seedCohort,
  signedInAs,
  useTestRounds,
  type Agent,
} from '../../../support';

// One grading queue across a mentor's cohorts, oldest first (issue 12, item 5), with next/previous links and the
// j/k script on each grading page.
const rounds = useTestRounds();
let mentor: Agent;
const versionIds: string[] = [];

beforeAll(async () => {
  mentor = (await signedInAs(rounds, 'mentor')).agent;
  for (const person of ['nurse', 'physician', 'pharmacist'] as const) await signedInAs(rounds, person);
  const course = await sandboxCourseIn(rounds);
  const [garcia, nora, priya, marcus] = await Promise.all(
    ['6', '3', '4', '5'].map((sub) => course.userId(sub)),
  );
  const first = await seedCohort(course, {
    name: 'Residents',
    mentors: [garcia!],
    mentees: [nora!, priya!],
    pairs: [
      [garcia!, nora!],
      [garcia!, priya!],
    ],
  });
  const second = await seedCohort(course, {
    name: 'Pharmacy',
    mentors: [garcia!],
    mentees: [marcus!],
    pairs: [[garcia!, marcus!]],
  });
  const assignmentIn = async (cohortId: string) =>
    String(
      (
        await ReflectionAssignmentModel.create({
          tenantId: course.tenantId,
          cohortId,
          courseId: course.courseId,
          title: `Week one (${cohortId.slice(-4)})`,
          prompt: 'What surprised you?',
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
        })
      )._id,
    );
  const [firstAssignment, secondAssignment] = [await assignmentIn(first), await assignmentIn(second)];
  // Submitted out of order: Priya first, then Marcus (the other cohort), then Nora.
  const submit = (userId: string, cohortId: string, assignmentId: string, at: string) =>
    submitReflection(
      { tenantId: course.tenantId, userId, name: '' },
      cohortId,
      assignmentId,
      `Text ${at}`,
      new Date(at),
    );
  await submit(nora!, first, firstAssignment, '2026-03-03T09:00:00Z');
  await submit(priya!, first, firstAssignment, '2026-03-01T09:00:00Z');
  await submit(marcus!, second, secondAssignment, '2026-03-02T09:00:00Z');
});

it('when the mentor opens her queue, then reflections of both cohorts come oldest first', async () => {
  const page = decodeHtml((await mentor.get('/grading').expect(200)).text);
  const names = [...page.matchAll(/<th scope="row">([^<]+)<\/th>/g)].map((match) => match[1]);
  expect(names).toEqual(['Dr. Priya Raman', 'Marcus Lee, PharmD', 'Nora Okafor, RN']);
  expect(page).toContain('“Residents”');
  expect(page).toContain('“Pharmacy”');
  versionIds.push(...[...page.matchAll(/href="\/grading\/([0-9a-f]{24})"/g)].map((match) => match[1]!));
  expect(versionIds).toHaveLength(3);
});

it('when she opens the oldest, then "Next in queue" leads to the second, which leads back, and j/k are wired', async () => {
  const oldest = decodeHtml((await mentor.get(`/grading/${versionIds[0]}`).expect(200)).text);
  expect(oldest).not.toContain('data-grading-key="previous"');
  expect(oldest).toContain(`href="/grading/${versionIds[1]}" rel="next" data-grading-key="next"`);
  expect(oldest).toContain('/static/grading-keys.js');
  expect(oldest).toMatch(/<fieldset[^>]*>\s*<legend[^>]*>[^<]*Insight/);
  const second = decodeHtml((await mentor.get(`/grading/${versionIds[1]}`).expect(200)).text);
  expect(second).toContain(`href="/grading/${versionIds[0]}" rel="prev" data-grading-key="previous"`);
  expect(second).toContain(`href="/grading/${versionIds[2]}" rel="next" data-grading-key="next"`);
});
