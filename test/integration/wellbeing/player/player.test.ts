import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import { ModuleVersionModel } from '../../../../src/wellbeing';
import { listCompletions } from '../../../../src/wellbeing/player';
import { ModuleProgressModel } from '../../../../src/wellbeing/player/progress.model';
import { ReflectionModel } from '../../../../src/wellbeing/player/reflection.model';
import { decodeHtml, sandboxCourseIn, signedInAs, useTestRounds, type Agent } from '../../../support';
import { mainOf, postStep, resetsCheckAnswers, walkResets } from './player.helpers';

// The module player over HTTP, as learners launched from the sandbox course use it: bundled modules (imported at
// boot), one step at a time, resumed across launches, with checks, reflections and the completion page.
const rounds = useTestRounds();

const page = async (agent: Agent, path: string, status = 200) =>
  decodeHtml(mainOf((await agent.get(path).expect(status)).text));

describe('the catalogue', () => {
  it('when a learner opens /modules, then every module shows its title, summary, minutes and her progress', async () => {
    const { agent } = await signedInAs(rounds, 'physician');
    const html = await page(agent, '/modules');
    expect(html.match(/<li class="module-card">/g)).toHaveLength(8);
    expect(html).toContain('<a href="/modules/stress-first-aid">Stress First Aid for clinical teams</a>');
    expect(html).toMatch(
      /Two short tools you can use between patients[\s\S]*About 14 minutes[\s\S]*Not started/,
    );
  });

  it('when a mentor opens it, then the module for mentors comes first, under “For you”', async () => {
    const { agent } = await signedInAs(rounds, 'mentor');
    const html = await page(agent, '/modules');
    expect(html).toMatch(
      /<h2 id="for-you-title">For you<\/h2>\s*<ul class="module-list">\s*<li class="module-card">\s*<h3 class="module-card__title"><a href="\/modules\/mentoring-well">/,
    );
    expect(html.indexOf('mentoring-well')).toBeLessThan(html.indexOf('two-minute-resets'));
  });
});

describe('the catalogue for a profession', () => {
  it('when a nurse opens it, then a module written for nurses comes first, before the modules for everyone', async () => {
    const { agent } = await signedInAs(rounds, 'nurse');
    const { tenantId } = await sandboxCourseIn(rounds);
    const bundled = await ModuleVersionModel.findOne({ slug: 'sleep-and-recovery' }).lean();
    const { _id: _unused, ...copy } = bundled!;
    await ModuleVersionModel.create({
      ...copy,
      tenantId,
      slug: 'nights-on-the-ward',
      title: 'Nights on the ward',
      aliases: [],
      audience: ['nurse'],
    });
    const html = await page(agent, '/modules');
    expect(html).toMatch(
      /For you<\/h2>\s*<ul class="module-list">\s*<li class="module-card">\s*<h3 class="module-card__title"><a href="\/modules\/nights-on-the-ward">/,
    );
    expect(html).toContain('<dt>For</dt><dd>Nurses</dd>');
    // The physician sees the same module among the others, after those for everyone.
    const physician = await page((await signedInAs(rounds, 'physician')).agent, '/modules');
    expect(physician).not.toContain('For you');
    expect(physician.indexOf('nights-on-the-ward')).toBeGreaterThan(physician.indexOf('two-minute-resets'));
    await ModuleVersionModel.deleteOne({ tenantId, slug: 'nights-on-the-ward' });
  });
});

describe('working through a module across two launches', () => {
  it('when a nurse stops after step 3 and launches again, then she continues at step 4 and completing every step completes the module once', async () => {
    const first = (await signedInAs(rounds, 'nurse')).agent;
    expect(await page(first, '/modules/two-minute-resets')).toContain('>Start</a>');
    const moves = await walkResets(first, 1, 3);
    expect(moves).toEqual([2, 3, 4].map((n) => `/modules/two-minute-resets/steps/${n}`));

    const second = (await signedInAs(rounds, 'nurse')).agent;
    expect(await page(second, '/modules')).toContain('Step 4 of 7');
    const overview = await page(second, '/modules/two-minute-resets');
    expect(overview).toContain(
      '<a class="button" href="/modules/two-minute-resets/steps/4">Continue at step 4</a>',
    );
    const step4 = await page(second, '/modules/two-minute-resets/steps/4');
    expect(step4).toContain('<label for="step-progress">Step 4 of 7</label>');
    expect(step4).toContain('<progress id="step-progress" max="7" value="4">');

    expect(await walkResets(second, 4, 6)).toEqual([
      '/modules/two-minute-resets/steps/5',
      '/modules/two-minute-resets/steps/5#check-result',
      '/modules/two-minute-resets/steps/7',
    ]);
    // The last step is the optional self-check: skipping it leads to the completion page.
    const skip = await second.get('/modules/two-minute-resets/steps/7/next').expect(303);
    expect(skip.headers.location).toBe('/modules/two-minute-resets/complete');
    const done = await page(second, '/modules/two-minute-resets/complete');
    expect(done).toContain('<h1>You completed Two-minute resets between patients</h1>');
    expect(done).toContain('<dt>Minutes practised</dt><dd>3</dd>');
    expect(done).toContain('href="/wellbeing/checks"');
    expect(done).toMatch(/Modules you might try next:[\s\S]*href="\/modules\/[a-z-]+"/);

    const today = DateTime.utc().toFormat('d LLL yyyy');
    expect(await page(second, '/modules')).toContain(`Completed ${today}`);
    // Reloading the completion page and saving a step again record nothing more.
    await page(second, '/modules/two-minute-resets/complete');
    await postStep(second, 'two-minute-resets', 1);
    const progress = await ModuleProgressModel.findOne({ slug: 'two-minute-resets' }).lean();
    const completions = await listCompletions(String(progress!.tenantId), String(progress!.userId));
    expect(completions).toHaveLength(1);
    expect(completions[0]).toMatchObject({
      slug: 'two-minute-resets',
      version: 1,
      localDate: DateTime.utc().toISODate(),
      estimatedMinutes: 14,
      practisedMinutes: 3,
    });
  });

  it('when another learner opens the same module, then they start at the beginning (progress is personal)', async () => {
    const { agent } = await signedInAs(rounds, 'pharmacist');
    expect(await page(agent, '/modules')).not.toContain('Completed ');
    expect(await page(agent, '/modules/two-minute-resets')).toContain('>Start</a>');
  });
});

describe('a knowledge check', () => {
  const check = '/modules/burnout-and-moral-distress/steps/7';
  let agent: Agent;
  beforeAll(async () => {
    agent = (await signedInAs(rounds, 'physician')).agent;
  });

  it('when it opens, then it announces the pass mark before the questions', async () => {
    const html = await page(agent, check);
    expect(html).toContain('Answer 2 of 3 questions correctly to pass.');
    expect(html.indexOf('Answer 2 of 3')).toBeLessThan(html.indexOf('<fieldset'));
    expect(html).toContain('<input type="checkbox" id="q2-a" name="q_q2" value="a">');
  });

  it('when a question is left unanswered, then the form comes back (400) with the error next to it and the other answers kept', async () => {
    const answer = await postStep(agent, 'burnout-and-moral-distress', 7, { q_q1: 'a', q_q3: 'b' });
    expect(answer.status).toBe(400);
    const html = decodeHtml(answer.text);
    expect(html).toContain('<title>Error: Check your understanding · Step 7 of 9');
    expect(html).toContain('<a href="#q2-a">Choose at least one answer to this question.</a>');
    expect(html).toContain(
      '<p class="field-error" id="q2-error"><span class="visually-hidden">Error: </span>Choose at least one answer',
    );
    expect(html).toContain('id="q1-a" name="q_q1" value="a" checked>');
    expect(html).toContain('id="q3-b" name="q_q3" value="b" checked>');
  });

  it('when it is failed, then it says so with feedback on each chosen option, and passing it on a retry marks it passed', async () => {
    const failed = await postStep(agent, 'burnout-and-moral-distress', 7, {
      q_q1: 'b',
      q_q2: ['a', 'd'],
      q_q3: 'b',
    });
    expect([failed.status, failed.headers.location]).toEqual([303, `${check}#check-result`]);
    const feedback = await page(agent, check);
    expect(feedback).toContain('Not passed yet: 1 of 3 correct');
    expect(feedback).toContain(
      'You chose: A lack of resilience</strong> No. Her distress is a normal response',
    );
    expect(feedback).toContain(
      'You chose: Poor time management</strong> No. Burnout is not a skills deficit.',
    );
    expect(feedback).toContain('Check my answers');
    expect(await page(agent, '/modules/burnout-and-moral-distress/complete')).toContain('pass the check');

    await postStep(agent, 'burnout-and-moral-distress', 7, { q_q1: 'a', q_q2: ['a', 'b', 'c'], q_q3: 'b' });
    const passed = await page(agent, check);
    expect(passed).toContain('Passed: 3 of 3 correct');
    expect(passed).not.toContain('Check my answers');
    expect(passed).toContain(`<a class="button" href="${check}/next">Next</a>`);
    const progress = await ModuleProgressModel.findOne({ slug: 'burnout-and-moral-distress' }).lean();
    expect(progress!.steps.find((s) => s.stepId === 'check-burnout')).toMatchObject({
      passed: true,
      attempts: 2,
    });
  });
});

describe('a reflection', () => {
  it('when it is longer than 10,000 characters, then it is refused with the error next to it and the text kept', async () => {
    const { agent } = await signedInAs(rounds, 'pharmacist');
    const long = `${'I noticed. '.repeat(909)}End of a long reflection.`;
    expect(long.length).toBeGreaterThan(10_000);
    const answer = await postStep(agent, 'two-minute-resets', 6, { text: long });
    expect(answer.status).toBe(400);
    const html = decodeHtml(answer.text);
    expect(html).toContain('<a href="#reflection-text">Your reflection is longer than 10,000 characters.');
    // A line break after <textarea> is dropped by HTML parsers: the text starts on the next line.
    expect(html).toContain('aria-invalid="true">\nI noticed. I noticed.');
    expect(html).toContain('End of a long reflection.</textarea>');
    const before = await ReflectionModel.countDocuments({ slug: 'two-minute-resets' });

    const saved = await postStep(agent, 'two-minute-resets', 6, { text: 'Short and kept.' });
    expect(saved.status).toBe(303);
    expect(await ReflectionModel.countDocuments({ slug: 'two-minute-resets' })).toBe(before + 1);
    const again = await page(agent, '/modules/two-minute-resets/steps/6');
    expect(again).toContain('Only you can see this.');
    expect(again).toContain('>\nShort and kept.</textarea>');
  });
});

describe('addresses that are not a step of a module the learner has', () => {
  let agent: Agent;
  beforeAll(async () => {
    agent = (await signedInAs(rounds, 'nurse')).agent;
  });

  it.each(['0', '8', '999', '1000', 'abc', '1.5', '-1', '%2e%2e'])(
    'when step "%s" of a 7-step module is asked for (GET, POST or next), then 404',
    async (n) => {
      await agent.get(`/modules/two-minute-resets/steps/${n}`).expect(404);
      await agent.get(`/modules/two-minute-resets/steps/${n}/next`).expect(404);
      expect((await postStep(agent, 'two-minute-resets', n, resetsCheckAnswers)).status).toBe(404);
    },
  );

  it('when the module does not exist or belongs to another tenant, then 404', async () => {
    const bundled = await ModuleVersionModel.findOne({ slug: 'stress-first-aid' }).lean();
    const { _id: _unused, ...copy } = bundled!;
    await ModuleVersionModel.create({
      ...copy,
      tenantId: new mongoose.Types.ObjectId(),
      slug: 'another-tenants-module',
      aliases: [],
    });
    for (const path of [
      '/modules/another-tenants-module',
      '/targets/module/another-tenants-module',
      '/modules/another-tenants-module/steps/1',
      '/modules/nope',
      '/modules/Bad_Slug',
    ]) {
      await agent.get(path).expect(404);
    }
    expect((await page(agent, '/modules')).includes('another-tenants-module')).toBe(false);
  });
});

describe('links placed in courses before the modules existed', () => {
  it.each([
    ['burnout-basics', 'Recognizing burnout and moral distress'],
    ['moral-distress', 'Recognizing burnout and moral distress'],
    ['sleep-after-night-shifts', 'Sleep and recovery around shift work'],
  ])('when a launch lands on /targets/module/%s, then it opens “%s”', async (alias, title) => {
    const { agent } = await signedInAs(rounds, 'nurse');
    const html = await page(agent, `/targets/module/${alias}`);
    expect(html).toContain(`<h1>${title}</h1>`);
    expect(html).toMatch(/<a class="button" href="\/modules\/[a-z-]+\/steps\/1">Start<\/a>/);
  });

  it('when /modules/<alias> is opened, then it redirects to the module’s own address', async () => {
    const { agent } = await signedInAs(rounds, 'nurse');
    const answer = await agent.get('/modules/burnout-basics').expect(302);
    expect(answer.headers.location).toBe('/modules/burnout-and-moral-distress');
  });
});
