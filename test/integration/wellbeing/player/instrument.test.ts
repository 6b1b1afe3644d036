import { ModuleVersionModel } from '../../../../src/wellbeing';
import { ModuleProgressModel } from '../../../../src/wellbeing/player/progress.model';
import {
  csrfTokenOf,
  decodeHtml,
  sandboxCourseIn,
  signedInAs,
  useTestRounds,
  type Agent,
} from '../../../support';
import { mainOf, postStep, walkResets } from './player.helpers';

// A module's self-check step: optional, private, and nothing about it in the learner's module progress.
const rounds = useTestRounds();
let agent: Agent;

beforeAll(async () => {
  agent = (await signedInAs(rounds, 'nurse')).agent;
});

const page = async (path: string) => decodeHtml(mainOf((await agent.get(path).expect(200)).text));

it('when a learner reaches the self-check step, then it offers the check (posting back to the module) and a way to skip it', async () => {
  const html = await page('/modules/two-minute-resets/steps/7');
  expect(html).toContain('<form class="check-form" method="post" action="/wellbeing/checks/phq-2"');
  expect(html).toContain('<input type="hidden" name="from" value="/modules/two-minute-resets/steps/7">');
  expect(html).toContain(
    '<a class="button button--secondary" href="/modules/two-minute-resets/steps/7/next">Skip this self-check</a>',
  );
  expect(html).toContain('Optional and private.');
});

it('when she takes the self-check from the step, then her module progress records nothing of it, and the module completes without it', async () => {
  const csrf = csrfTokenOf(await page('/modules/two-minute-resets/steps/7'));
  const taken = await agent
    .post('/wellbeing/checks/phq-2')
    .type('form')
    .send({ _csrf: csrf, 'phq2-1': '1', 'phq2-2': '0', from: '/modules/two-minute-resets/steps/7' });
  expect(taken.status).toBe(303);
  const saved = await postStep(agent, 'two-minute-resets', 7);
  expect([saved.status, saved.headers.location]).toEqual([303, '/modules/two-minute-resets/complete']);
  const progress = await ModuleProgressModel.findOne({ slug: 'two-minute-resets' }).lean();
  expect(progress!.steps.map((s) => s.stepId)).toEqual([]);
  expect(JSON.stringify(progress)).not.toMatch(/phq|self-check/);

  await walkResets(agent, 1, 6);
  expect(await page('/modules/two-minute-resets/complete')).toContain('<h1>You completed');
});

it('when the module’s self-check is not offered by the tenant, then the step says so and offers Next', async () => {
  const { tenantId } = await sandboxCourseIn(rounds);
  const bundled = await ModuleVersionModel.findOne({ slug: 'two-minute-resets' }).lean();
  const { _id: _unused, ...copy } = bundled!;
  const steps = bundled!.definition.steps.map((step) =>
    step.kind === 'instrument' ? { ...step, instrument: 'pss-10' as const } : step,
  );
  await ModuleVersionModel.create({
    ...copy,
    tenantId,
    slug: 'resets-with-stress-scale',
    definition: { ...bundled!.definition, slug: 'resets-with-stress-scale', steps },
  });
  const html = await page('/modules/resets-with-stress-scale/steps/7');
  expect(html).toContain('This self-check is not offered by your organisation.');
  expect(html).not.toContain('action="/wellbeing/checks/pss-10"');
  expect(html).toContain(
    '<a class="button" href="/modules/resets-with-stress-scale/steps/7/next">Finish</a>',
  );
});
