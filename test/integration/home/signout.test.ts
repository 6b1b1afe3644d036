import request from 'supertest';
import { openForm, setCookies, signedInAs, useTestRounds, type Agent } from '../../support';

// Sign-out (finding 11 of the security review): the session cookie rides cross-site POSTs inside LMS iframes, so
// sign-out needs the browser to say the form is Rounds' own (Fetch Metadata or Origin) *and* the session's CSRF
// token. Origin is `null` on Rounds' own POSTs under Referrer-Policy: no-referrer, so it cannot decide alone.

const rounds = useTestRounds();

/** A signed-in browser and the sign-out form's token from its home page. */
async function signedIn(): Promise<{ agent: Agent; csrf: string }> {
  const { agent } = await signedInAs(rounds, 'nurse');
  const { html, csrf } = await openForm(agent, '/home');
  expect(html).toMatch(/<form class="site-header__signout" method="post" action="\/signout">/);
  return { agent, csrf };
}

function signOut(agent: Agent, headers: Record<string, string>, fields: Record<string, string>) {
  const post = agent.post('/signout').type('form').set('Accept', 'text/html');
  for (const [name, value] of Object.entries(headers)) post.set(name, value);
  return post.send(fields);
}

describe('signing out of Rounds', () => {
  it('when the sign-out form is posted from Rounds with its token, then the session ends and the cookie is cleared', async () => {
    const { agent, csrf } = await signedIn();
    const response = await signOut(agent, { 'Sec-Fetch-Site': 'same-origin' }, { _csrf: csrf }).expect(303);
    expect(response.headers.location).toBe('/signed-out');
    expect(setCookies(response)).toMatch(/rounds_session=;/);
    await agent.get('/home').expect(401);
  });

  it('when an older browser posts it with Origin: null (no-referrer) and the token, then sign-out works', async () => {
    const { agent, csrf } = await signedIn();
    await signOut(agent, { Origin: 'null' }, { _csrf: csrf }).expect(303);
    await agent.get('/home').expect(401);
  });

  it.each([
    ['Fetch Metadata says cross-site, even with the right token', { 'Sec-Fetch-Site': 'cross-site' }, true],
    ['Origin is another site, even with the right token', { Origin: 'https://evil.example' }, true],
    ['Origin is null and the form has no token', { Origin: 'null' }, false],
    ['Fetch Metadata says same-origin but the form has no token', { 'Sec-Fetch-Site': 'same-origin' }, false],
  ] as const)(
    'when %s, then it is refused with 403 and the session lives on',
    async (_name, headers, withToken) => {
      const { agent, csrf } = await signedIn();
      const response = await signOut(agent, headers, withToken ? { _csrf: csrf } : {});
      expect(response.status).toBe(403);
      expect(setCookies(response)).not.toMatch(/rounds_session=/);
      await agent.get('/home').expect(200);
    },
  );

  it('when nobody is signed in, then sign-out answers 401', async () => {
    const response = await request(rounds.url)
      .post('/signout')
      .type('form')
      .set('Sec-Fetch-Site', 'same-origin')
      .send({ _csrf: 'x' });
    expect(response.status).toBe(401);
  });
});
