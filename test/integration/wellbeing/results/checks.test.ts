import mongoose from 'mongoose';
import { UserModel } from '../../../../src/tenancy';
import { wellbeingKeys, WellbeingResultModel } from '../../../../src/wellbeing/results';
import {
  decodeHtml,
  openForm,
  postCraftedLaunch,
  signedInAs,
  useTestRounds,
  type Agent,
} from '../../../support';
import { phq2Answers, savedResult, takeCheck } from './takeCheck';

const rounds = useTestRounds();
let nurse: Agent;
let physician: Agent;

beforeAll(async () => {
  nurse = (await signedInAs(rounds, 'nurse')).agent;
  physician = (await signedInAs(rounds, 'physician')).agent;
});

describe('the self-check library', () => {
  it('when a learner opens /wellbeing/checks, then it lists PHQ-2 and GAD-2, says answers are private, and not the checks the tenant has not confirmed', async () => {
    const page = decodeHtml((await nurse.get('/wellbeing/checks').expect(200)).text);
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page).toContain('href="/wellbeing/checks/phq-2"');
    expect(page).toContain('href="/wellbeing/checks/gad-2"');
    expect(page).toContain('Your answers are private');
    expect(page).toMatch(/about 1 minute\b/);
    expect(page).not.toContain('/wellbeing/checks/pss-10');
    expect(page).not.toContain('/wellbeing/checks/mini-z-2');
  });

  it('when a learner opens an instrument the tenant has not confirmed, or one that does not exist, then 404', async () => {
    for (const path of [
      '/wellbeing/checks/pss-10',
      '/wellbeing/checks/mini-z-2',
      '/wellbeing/checks/phq-9',
    ]) {
      expect((await nurse.get(path).set('Accept', 'text/html')).status).toBe(404);
    }
    const { csrf } = await openForm(nurse, '/wellbeing/checks/phq-2');
    const posted = await nurse
      .post('/wellbeing/checks/pss-10')
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: csrf, 'pss10-1': '0' });
    expect(posted.status).toBe(404);
  });

  it('when the PHQ-2 form is opened, then it asks about the last 2 weeks with labelled answers and the Pfizer notice', async () => {
    const page = decodeHtml((await nurse.get('/wellbeing/checks/phq-2').expect(200)).text);
    expect(page).toContain(
      'Over the last 2 weeks, how often have you been bothered by the following problems?',
    );
    expect(page).toContain('<label for="phq2-1-3">Nearly every day</label>');
    expect(page).toContain('with an educational grant from Pfizer Inc. No permission required to reproduce');
  });
});

describe('taking a check', () => {
  it('when a question is left unanswered, then the form comes back with that question’s error and the other answer still chosen', async () => {
    const answer = await takeCheck(nurse, 'phq-2', { 'phq2-1': '2' });
    expect(answer.status).toBe(400);
    const page = decodeHtml(answer.text);
    expect(page).toContain('<a href="#phq2-2-0">Choose an answer for question 2.</a>');
    expect(page).toContain('id="phq2-2-error"');
    expect(page).toMatch(/id="phq2-1-2" name="phq2-1" value="2" checked/);
    expect(page).not.toMatch(/name="phq2-2" value="\d" checked/);
  });

  it('when a nurse’s PHQ-2 is positive, then the result page shows support before the score, without the Physician Support Line', async () => {
    const location = await savedResult(nurse, 'phq-2', phq2Answers(4));
    expect(location).toMatch(/^\/wellbeing\/results\/[A-Za-z0-9_-]{22}$/);
    const page = decodeHtml((await nurse.get(location).expect(200)).text);
    const support = page.indexOf('988 Suicide & Crisis Lifeline');
    const score = page.indexOf('What your answers add up to');
    expect(support).toBeGreaterThan(0);
    expect(score).toBeGreaterThan(support);
    expect(page).toContain('employee assistance program');
    expect(page).not.toContain('1-888-409-0141');
    expect(page).toMatch(/check-score__number">4<\/span> out of 6/);
    expect(page).toContain('not a diagnosis');
  });

  it('when a physician’s PHQ-2 is positive, then the Physician Support Line (1-888-409-0141) comes before the score', async () => {
    const page = decodeHtml(
      (await physician.get(await savedResult(physician, 'phq-2', phq2Answers(3))).expect(200)).text,
    );
    const line = page.indexOf('Call 1-888-409-0141');
    expect(line).toBeGreaterThan(0);
    expect(page.indexOf('What your answers add up to')).toBeGreaterThan(line);
  });

  it('when a PHQ-2 is below the cut-off, then the score and its meaning show without the support section', async () => {
    const page = decodeHtml(
      (await nurse.get(await savedResult(nurse, 'phq-2', phq2Answers(2))).expect(200)).text,
    );
    expect(page).toContain('Below the screening cut-off (0 to 2)');
    expect(page).not.toContain('check-support-heading');
    expect(page).toContain('href="/wellbeing/checks/phq-2"');
  });

  it('when a check is taken from a module step, then the result offers to continue the module, and a forged `from` is dropped', async () => {
    const from = '/modules/burnout-basics/steps/3';
    const answer = await takeCheck(nurse, 'gad-2', { 'gad2-1': '0', 'gad2-2': '1' }, { from });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toMatch(/\?from=%2Fmodules%2Fburnout-basics%2Fsteps%2F3$/);
    const page = decodeHtml((await nurse.get(answer.headers.location!).expect(200)).text);
    expect(page).toContain(`href="${from}/next">Continue the module`);

    const forged = await takeCheck(
      nurse,
      'gad-2',
      { 'gad2-1': '0', 'gad2-2': '1' },
      { from: 'https://evil.example/x' },
    );
    expect(forged.headers.location).not.toContain('from=');
    const direct = await nurse.get(`${forged.headers.location}?from=//evil.example`).expect(200);
    expect(direct.text).not.toContain('Continue the module');
  });

  it('when the learner has taken a check several times, then /wellbeing/results shows a chart with a text alternative and a table of every result', async () => {
    const page = decodeHtml((await nurse.get('/wellbeing/results').expect(200)).text);
    expect(page).toMatch(
      /<svg class="check-chart"[^>]*role="img"[^>]*aria-labelledby="trend-phq-2-title trend-phq-2-desc"/,
    );
    expect(page).toMatch(
      /<desc id="trend-phq-2-desc">2 results on a scale from 0 to 6, oldest first: 4 on [^;]+; 2 on /,
    );
    expect(page).toContain(
      '<caption>PHQ-2: mood over the last two weeks: every result, newest first</caption>',
    );
    expect((await nurse.get('/wellbeing/results').expect(200)).headers['cache-control']).toBe('no-store');
  });

  it('when a result cannot be saved, then the form says so with status 503 and keeps the answers chosen', async () => {
    // A real failure: the learner's sealed data key was damaged, so the vault cannot open it to seal the result.
    const pharmacist = (await signedInAs(rounds, 'pharmacist')).agent;
    await savedResult(pharmacist, 'gad-2', { 'gad2-1': '1', 'gad2-2': '1' });
    const user = (await UserModel.findOne({ subject: '5' }).lean())!;
    const owner = { tenantId: user.tenantId, userId: new mongoose.Types.ObjectId(String(user._id)) };
    const original = (await wellbeingKeys().findOne(owner).lean())!;
    await wellbeingKeys().updateOne(owner, {
      $set: { 'sealedKey.tag': Buffer.alloc(16).toString('base64') },
    });
    try {
      const answer = await takeCheck(pharmacist, 'gad-2', { 'gad2-1': '3', 'gad2-2': '2' });
      expect(answer.status).toBe(503);
      const page = decodeHtml(answer.text);
      expect(page).toContain('Your answers were not saved');
      expect(page).toMatch(/id="gad2-1-3" name="gad2-1" value="3" checked/);
      expect(page).toMatch(/id="gad2-2-2" name="gad2-2" value="2" checked/);
    } finally {
      await wellbeingKeys().updateOne(owner, { $set: { sealedKey: original.sealedKey } });
    }
  });
});

describe('how many results one learner can make', () => {
  it('when a learner sends more than 30 self-checks in an hour, then the next is refused with 429 and nothing more is stored', async () => {
    const { agent, launch } = await postCraftedLaunch(rounds, {
      claims: (claims) => {
        claims.sub = 'many-checks';
      },
    });
    expect(launch.status).toBe(303);
    const { csrf } = await openForm(agent, '/wellbeing/checks/phq-2');
    const post = () =>
      agent
        .post('/wellbeing/checks/phq-2')
        .type('form')
        .set('Accept', 'text/html')
        .send({ _csrf: csrf, ...phq2Answers(1) });
    for (let attempt = 0; attempt < 30; attempt++) expect((await post()).status).toBe(303);
    const user = (await UserModel.findOne({ subject: 'many-checks' }).lean())!;
    const stored = () => WellbeingResultModel.countDocuments({ userId: user._id });
    expect(await stored()).toBe(30);
    const refused = await post();
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(await stored()).toBe(30);
  });
});
