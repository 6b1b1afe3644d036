import request from 'supertest';
import { UserModel } from '../../../../src/tenancy';
import {
  craftLaunch,
  decodeHtml,
  ltiClaim,
  openForm,
  postForm,
  postLaunch,
  signedInAs,
  useTestRounds,
  type Agent,
} from '../../../support';

const rounds = useTestRounds();

/** The sandbox person's user record (sandbox user ids: nurse 3, physician 4, pharmacist 5, mentor 6, admin 2). */
async function userOf(subject: string) {
  return UserModel.findOne({ subject }, { profession: 1, professionSource: 1 }).lean();
}

/** A launch of `person` whose LMS sends `profession` as the custom parameter instead of the sandbox's mapping. */
async function launchWithProfession(person: 'physician' | 'mentor' | 'pharmacist', profession: string) {
  const { agent, fields } = await craftLaunch(rounds, {
    person,
    claims: (claims) => {
      claims[`${ltiClaim}custom`] = { profession };
    },
  });
  await postLaunch(agent, fields).expect(303);
  return agent;
}

async function chooseProfession(agent: Agent, profession: string) {
  return postForm(agent, '/profile', '/profile', { profession });
}

describe('the profession an LMS sends', () => {
  it('when the sandbox launches the nurse, then Rounds stores her profession as nurse, set by the LMS', async () => {
    await signedInAs(rounds, 'nurse');
    expect(await userOf('3')).toMatchObject({ profession: 'nurse', professionSource: 'lms' });
  });

  it('when the sandbox launches its site administrator, whom the mapping gives no profession, then none is stored', async () => {
    await signedInAs(rounds, 'cmeAdmin');
    const admin = await userOf('2');
    expect(admin).not.toBeNull();
    expect(admin!.profession).toBeUndefined();
  });

  it('when the LMS later sends another profession for someone it set, then the new one is stored', async () => {
    await signedInAs(rounds, 'pharmacist');
    expect(await userOf('5')).toMatchObject({ profession: 'pharmacist', professionSource: 'lms' });
    await launchWithProfession('pharmacist', 'Pharmacy technician');
    expect(await userOf('5')).toMatchObject({ profession: 'technician', professionSource: 'lms' });
  });
});

describe('the learner’s own choice', () => {
  it('when a learner chose their profession, then a later launch sending another one does not overwrite it', async () => {
    const { agent } = await signedInAs(rounds, 'physician');
    expect(await userOf('4')).toMatchObject({ profession: 'physician', professionSource: 'lms' });

    const saved = await chooseProfession(agent, 'medical-student');
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/profile?done=saved');
    expect(await userOf('4')).toMatchObject({ profession: 'medical-student', professionSource: 'learner' });

    await launchWithProfession('physician', 'nurse');
    expect(await userOf('4')).toMatchObject({ profession: 'medical-student', professionSource: 'learner' });
  });

  it('when a learner prefers not to say, then no profession is stored and a later launch does not add one', async () => {
    const { agent } = await signedInAs(rounds, 'mentor');
    expect(await userOf('6')).toMatchObject({ profession: 'physician' });
    expect((await chooseProfession(agent, 'prefer-not-to-say')).status).toBe(303);
    // Another profession than the first launch's, so the launch writes the person again.
    await launchWithProfession('mentor', 'nurse');
    const mentor = await userOf('6');
    expect(mentor!.profession).toBeUndefined();
    expect(mentor!.professionSource).toBe('learner');

    const page = decodeHtml((await agent.get('/profile').expect(200)).text);
    expect(page).toMatch(/value="prefer-not-to-say" checked/);
  });
});

describe('the profile page', () => {
  it('when a learner opens it, then it asks for the profession, optionally, says why, and shows the one the LMS set', async () => {
    const { agent } = await signedInAs(rounds, 'nurse');
    const page = decodeHtml((await agent.get('/profile').expect(200)).text);
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page).toContain('<legend>Your profession (optional)</legend>');
    expect(page).toContain('support lines meant for you');
    expect(page).toContain('You can change it at any time.');
    expect(page).toContain('Your organization’s LMS set it to “Nurse”');
    expect(page).toMatch(
      /<input type="radio" id="profession-nurse" name="profession" value="nurse" checked>/,
    );
    expect(page).toContain('<label for="profession-prefer-not-to-say">Prefer not to say</label>');
    for (const value of ['physician', 'medical-student', 'pharmacist', 'technician', 'other']) {
      expect(page).toContain(`id="profession-${value}"`);
    }
  });

  it('when a learner sends a profession Rounds does not know, then the form says so beside the field and nothing is saved', async () => {
    const { agent } = await signedInAs(rounds, 'nurse');
    const refused = await chooseProfession(agent, 'astronaut');
    expect(refused.status).toBe(400);
    const page = decodeHtml(refused.text);
    expect(page).toContain(
      '<a href="#profession-physician">Choose your profession, or “Prefer not to say”.</a>',
    );
    expect(page).toContain('id="profession-error"');
    expect(page).toContain('aria-describedby="profession-why profession-error"');
    expect(await userOf('3')).toMatchObject({ profession: 'nurse', professionSource: 'lms' });
  });

  it('when a learner saves without choosing, then the form asks them to choose and keeps what was stored', async () => {
    const { agent } = await signedInAs(rounds, 'nurse');
    const refused = await postForm(agent, '/profile', '/profile', {});
    expect(refused.status).toBe(400);
    expect(decodeHtml(refused.text)).toContain('Choose your profession, or “Prefer not to say”.');
    expect(await userOf('3')).toMatchObject({ profession: 'nurse' });
  });

  it('when the form is posted without its CSRF token, then 403 and nothing changes', async () => {
    const { agent } = await signedInAs(rounds, 'nurse');
    await openForm(agent, '/profile');
    const response = await agent
      .post('/profile')
      .type('form')
      .set('Accept', 'text/html')
      .send({ profession: 'other' });
    expect(response.status).toBe(403);
    expect(await userOf('3')).toMatchObject({ profession: 'nurse' });
  });

  it('when someone without a session opens it, then 401', async () => {
    await request(rounds.url).get('/profile').set('Accept', 'text/html').expect(401);
  });
});
