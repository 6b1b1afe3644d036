import { CohortMemberModel, CohortModel, PairModel, seedDemoCohorts } from '../../../../src/cohorts';
import { demoCircleName, demoMentoringName } from '../../../../src/cohorts/demo';
import { ReflectionAssignmentModel } from '../../../../src/cohorts/reflections';
import { CohortSessionModel } from '../../../../src/cohorts/sessions';
import { SandboxResourceLink } from '../../../../src/sandbox/sandbox.model';
import { sandboxDemoCourse } from '../../../../src/runtime';
import { signedInAs, useTestRounds } from '../../../support';

// `npm run dev` (sandboxDemoData on): the sandbox course comes with a mentoring cohort and a peer circle, so a
// newcomer who launches as Dr. García or a learner sees cohorts at once (issue 12, item 9).
const rounds = useTestRounds({ sandboxDemoData: true });

describe('the demo cohorts of the sandbox course', () => {
  it('when Dr. García launches, then she finds her mentoring cohort with three mentees and a weekly session, and the peer circle', async () => {
    const { agent } = await signedInAs(rounds, 'mentor');
    const list = await agent.get('/cohorts').expect(200);
    expect(list.text).toContain('Mentoring with Dr. García (demo)');
    expect(list.text).toContain('Night-shift peer circle (demo)');

    const mentoring = (await CohortModel.findOne({ name: demoMentoringName }).lean())!;
    expect(await PairModel.countDocuments({ cohortId: mentoring._id, active: true })).toBe(3);
    const [session] = await CohortSessionModel.find({ cohortId: mentoring._id }).lean();
    expect(session).toMatchObject({ title: 'Weekly group call', recurrence: 'weekly', kind: 'group' });

    const queue = await agent.get('/grading').expect(200);
    expect(queue.text).toContain('Dr. Priya Raman');
    expect(queue.text).toContain('Reflection: a hard moment this month');

    const overview = await agent.get(`/cohorts/${String(mentoring._id)}`).expect(200);
    for (const mentee of ['Nora Okafor, RN', 'Dr. Priya Raman', 'Marcus Lee, PharmD']) {
      expect(overview.text).toContain(mentee);
    }
  });

  it('when the nurse opens the reflection activity placed in the course, then she lands on the demo assignment', async () => {
    const assignment = (await ReflectionAssignmentModel.findOne({
      title: 'Reflection: a hard moment this month',
    }).lean())!;
    const placed = await SandboxResourceLink.findOne({
      'custom.rounds_target': `reflection:${String(assignment._id)}`,
    }).lean();
    expect(placed).not.toBeNull();
    const { agent, launch } = await signedInAs(rounds, 'nurse', { resourceLinkId: placed!.resourceLinkId });
    const landing = await agent.get(launch.headers.location!).redirects(2).expect(200);
    expect(landing.text).toContain('Describe one moment this month that stayed with you.');
  });

  it('when the nurse launches, then both demo cohorts are hers: her mentor and the circle', async () => {
    const { agent } = await signedInAs(rounds, 'nurse');
    const list = await agent.get('/cohorts').expect(200);
    expect(list.text).toContain('Mentoring with Dr. García (demo)');
    expect(list.text).toContain(demoCircleName);
    const circle = (await CohortModel.findOne({ name: demoCircleName }).lean())!;
    // A circle asks its ground rules first.
    const page = await agent.get(`/cohorts/${String(circle._id)}`);
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe(`/cohorts/${String(circle._id)}/rules`);
  });

  it('when the demo is seeded again (a restart on the same database), then nothing is seeded twice', async () => {
    const before = await CohortMemberModel.countDocuments();
    const sandbox = rounds.sandbox!;
    const again = await seedDemoCohorts(sandboxDemoCourse(sandbox), sandbox);
    expect(again).toBe(false);
    expect(await CohortModel.countDocuments({ name: { $in: [demoMentoringName, demoCircleName] } })).toBe(2);
    expect(await CohortMemberModel.countDocuments()).toBe(before);
  });
});
