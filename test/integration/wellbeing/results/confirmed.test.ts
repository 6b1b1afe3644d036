import { decodeHtml, postForm, signedInAs, useTestRounds, type Agent } from '../../../support';
import { savedResult } from './takeCheck';

// PSS-10 and Mini Z ship with Rounds but stay off until a tenant admin confirms eligible use (issue 10, item 3).

const rounds = useTestRounds();
let admin: Agent;
let nurse: Agent;

beforeAll(async () => {
  admin = (await signedInAs(rounds, 'cmeAdmin')).agent;
  nurse = (await signedInAs(rounds, 'nurse')).agent;
});

describe('instruments that need a tenant’s confirmation', () => {
  it('when the admin confirms PSS-10 and Mini Z, then the nurse finds them in the library and takes them', async () => {
    expect((await nurse.get('/wellbeing/checks/pss-10').set('Accept', 'text/html')).status).toBe(404);
    const saved = await postForm(admin, '/admin/wellbeing', '/admin/wellbeing', {
      timeZone: 'America/Chicago',
      confirmPss10: 'yes',
      confirmMiniZ2: 'yes',
    });
    expect(saved.status).toBe(303);

    const library = decodeHtml((await nurse.get('/wellbeing/checks').expect(200)).text);
    expect(library).toContain('href="/wellbeing/checks/pss-10"');
    expect(library).toContain('href="/wellbeing/checks/mini-z-2"');

    // Every PSS-10 answer "Never": the four positive items reverse to 4 each, 16, moderate.
    const never = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`pss10-${index + 1}`, '0']));
    const pss = decodeHtml((await nurse.get(await savedResult(nurse, 'pss-10', never)).expect(200)).text);
    expect(pss).toMatch(/check-score__number">16<\/span> out of 40/);
    expect(pss).toContain('Moderate perceived stress (14 to 26)');
    expect(pss).not.toContain('check-support-heading');

    // Mini Z all 4 but "definitely burning out": 39, below 40, burnout, and support first.
    const answers = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`miniz-${index + 1}`, '4']));
    answers['miniz-2'] = '3';
    const miniZ = decodeHtml(
      (await nurse.get(await savedResult(nurse, 'mini-z-2', answers)).expect(200)).text,
    );
    expect(miniZ).toMatch(/check-score__number">39<\/span> out of 50/);
    expect(miniZ).toContain('You chose “definitely burning out” or a stronger answer');
    expect(miniZ.indexOf('check-support-heading')).toBeGreaterThan(0);
    expect(miniZ.indexOf('check-support-heading')).toBeLessThan(miniZ.indexOf('What your answers add up to'));
  });

  it('when the admin withdraws the confirmation, then the checks are off again, and past results stay the learner’s', async () => {
    await postForm(admin, '/admin/wellbeing', '/admin/wellbeing', { timeZone: 'America/Chicago' });
    expect((await nurse.get('/wellbeing/checks/pss-10').set('Accept', 'text/html')).status).toBe(404);
    const results = decodeHtml((await nurse.get('/wellbeing/results').expect(200)).text);
    expect(results).toContain('PSS-10: stress over the last month');
  });
});
