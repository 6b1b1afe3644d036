import { OutboxJobModel } from '../../../../src/lti/services';
import { placeActivity } from '../../../../src/sandbox/sandbox.course';
import { drainOutbox, jobReaches, sandboxScores, signedInAs, useTestRounds } from '../../../support';
import { walkResets } from './player.helpers';

// A module placed in the sandbox course as a gradable activity (as deep linking places it): completing it sends
// 100 / 100 to the gradebook through the outbox, once, however often the learner comes back.
const rounds = useTestRounds();
let placed: string;

/** Outbox grade jobs of module completions. */
const completionJobs = () =>
  OutboxJobModel.find({ kind: 'grade', idempotencyKey: /^grade:module-completion:/ }).lean();

beforeAll(async () => {
  placed = await placeActivity(rounds.sandbox!.issuer, '6', {
    title: 'Two-minute resets',
    text: '',
    custom: { rounds_target: 'module:two-minute-resets' },
    lineItem: { label: 'Two-minute resets', scoreMaximum: 100 },
  });
});

describe('the completion score', () => {
  it('when a nurse launched from the placed module completes it, then the gradebook gets 100 / 100 once, even after she launches it again', async () => {
    const { agent, launch } = await signedInAs(rounds, 'nurse', { resourceLinkId: placed });
    expect(launch.headers.location).toBe('/targets/module/two-minute-resets');
    await agent.get('/targets/module/two-minute-resets').expect(200);
    await walkResets(agent, 1, 6);

    const [job] = await completionJobs();
    expect(job!.idempotencyKey).toMatch(new RegExp(`^grade:module-completion:[0-9a-f]{24}:${placed}$`));
    await jobReaches(String(job!._id), 'sent');
    expect(
      (await sandboxScores(rounds, '3')).map((s) => [
        s.scoreGiven,
        s.scoreMaximum,
        s.activityProgress,
        s.gradingProgress,
      ]),
    ).toEqual([[100, 100, 'Completed', 'FullyGraded']]);

    // Again: saving a step, the completion page, and a new launch of the same link.
    const again = await signedInAs(rounds, 'nurse', { resourceLinkId: placed });
    await again.agent.get(again.launch.headers.location!).expect(200);
    await walkResets(again.agent, 6, 6);
    await again.agent.get('/modules/two-minute-resets/complete').expect(200);
    await drainOutbox(rounds);
    expect(await completionJobs()).toHaveLength(1);
    expect(await sandboxScores(rounds, '3')).toHaveLength(1);
  });

  it('when a learner completes a module launched from a link that does not open it, then no score is sent', async () => {
    const { agent } = await signedInAs(rounds, 'pharmacist');
    await walkResets(agent, 1, 6);
    expect(await agent.get('/modules/two-minute-resets/complete').expect(200)).toBeTruthy();
    await drainOutbox(rounds);
    expect(await completionJobs()).toHaveLength(1);
    expect(await sandboxScores(rounds, '5')).toHaveLength(0);
  });

  it('when a learner completed the module before launching it from the gradable link, then that launch sends the score', async () => {
    const { agent } = await signedInAs(rounds, 'physician');
    await walkResets(agent, 1, 6);
    expect(await completionJobs()).toHaveLength(1);
    const launched = await signedInAs(rounds, 'physician', { resourceLinkId: placed });
    await launched.agent.get(launched.launch.headers.location!).expect(200);
    const jobs = await completionJobs();
    expect(jobs).toHaveLength(2);
    await jobReaches(String(jobs[1]!._id), 'sent');
    expect((await sandboxScores(rounds, '4')).map((s) => s.scoreGiven)).toEqual([100]);
  });
});
