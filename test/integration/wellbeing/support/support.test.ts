import request from 'supertest';
import { decodeHtml, postForm, signedInAs, useTestRounds } from '../../../support';

const rounds = useTestRounds();

/** The support page as `person` sees it, decoded. */
async function supportPageAs(person: 'nurse' | 'physician' | 'cmeAdmin') {
  const { agent } = await signedInAs(rounds, person);
  return decodeHtml((await agent.get('/support').expect(200)).text);
}

describe('the support page', () => {
  it('when a physician opens it, then it lists 988, the EAP line and the Physician Support Line', async () => {
    const page = await supportPageAs('physician');
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page).toContain('988 Suicide & Crisis Lifeline');
    expect(page).toContain('<a class="support-contact" href="tel:988">Call 988</a>');
    expect(page).toContain('<a class="support-contact" href="sms:988">Text 988</a>');
    expect(page).toContain('id="support-physician-support-line"');
    expect(page).toContain('<a class="support-contact" href="tel:+18884090141">Call 1-888-409-0141</a>');
    expect(page).toContain('Shown for your profession: Physician');
  });

  it('when a nurse opens it, then it lists 988 and the EAP line but not the Physician Support Line', async () => {
    const page = await supportPageAs('nurse');
    expect(page).toContain('id="support-988"');
    expect(page).toContain('id="support-eap"');
    expect(page).not.toContain('Physician Support Line');
    expect(page).not.toContain('888-409-0141');
  });

  it('when someone without a profession opens it, then every line is listed, each saying whom it serves', async () => {
    const page = await supportPageAs('cmeAdmin');
    const lines = [...page.matchAll(/<li class="support-line" id="support-([a-z0-9-]+)">([\s\S]*?)<\/dl>/g)];
    expect(lines.map((line) => line[1])).toEqual(['988', 'eap', 'physician-support-line']);
    for (const line of lines) expect(line[2]).toMatch(/<dt>Who it serves<\/dt><dd>\S[^<]+<\/dd>/);
    expect(page).toContain('physicians (attendings, fellows, residents, interns) and medical students');
    expect(page).toContain('<a href="/profile">Tell us your profession</a>');
  });

  it('when the tenant has not set an EAP, then the page says to ask a manager or HR instead of a blank', async () => {
    const page = await supportPageAs('nurse');
    expect(page).toContain('Ask your manager or HR for your employee assistance program.');
  });

  it('when a visitor without a session opens it, then 988 and the Physician Support Line show, each with whom it serves, and no employer line', async () => {
    const page = decodeHtml((await request(rounds.url).get('/support').expect(200)).text);
    expect(page).toContain('href="tel:988"');
    expect(page).toContain('href="tel:+18884090141"');
    expect(page.match(/<dt>Who it serves<\/dt>/g)!.length).toBeGreaterThanOrEqual(2);
    expect(page).toContain('Open Rounds from your course to see your employer’s own line');
    expect(page).not.toContain('/wellbeing/data');
  });

  it('when anyone opens it, then it says self-check answers stay private to the learner', async () => {
    const page = await supportPageAs('nurse');
    expect(page).toContain('Your self-check answers are private');
    expect(page).toContain('Only you see your self-check answers and scores.');
    expect(page).toContain('href="/wellbeing/data"');
  });

  it('when a learner changes their profession to medical student, then the page shows them the Physician Support Line', async () => {
    const { agent } = await signedInAs(rounds, 'pharmacist');
    expect(decodeHtml((await agent.get('/support').expect(200)).text)).not.toContain('888-409-0141');
    expect((await postForm(agent, '/profile', '/profile', { profession: 'medical-student' })).status).toBe(
      303,
    );
    expect(decodeHtml((await agent.get('/support').expect(200)).text)).toContain('888-409-0141');
  });
});

describe('the footer', () => {
  it.each([
    ['a signed-in page', '/home', true],
    ['the about page', '/about', false],
  ])(
    'when %s is shown, then its footer links to Support and keeps the 988 line',
    async (_what, path, signIn) => {
      const agent = signIn ? (await signedInAs(rounds, 'nurse')).agent : request.agent(rounds.url);
      const page = decodeHtml((await agent.get(path).expect(200)).text);
      const footer = /<footer class="site-footer">[\s\S]*?<\/footer>/.exec(page)?.[0] ?? '';
      expect(footer).toContain('<a href="/support">Support</a>');
      expect(footer).toContain('<a href="tel:988">988</a>');
      expect(footer).toContain('<a href="/about">About Rounds</a>');
    },
  );
});
