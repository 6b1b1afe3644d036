import request from 'supertest';
import { csrfTokenOf, useTestRounds, type Agent } from '../../support';
import { createTestAccount } from '../../support/accounts';

// The per-address limit on sign-in forms (issue 11 review, L4): it counts failed attempts only, and each form
// (/signin, /signin/code, /set-password) on its own, so colleagues behind one hospital address who sign in
// correctly never use it up. Here the limit is 3 failures per 15 minutes (every request comes from 127.0.0.1).

const rounds = useTestRounds({ signinAddressLimitPer15Minutes: 3 });

let unique = 0;
const newEmail = () => `address-${Date.now()}-${++unique}@example.org`;

async function postSignIn(agent: Agent, email: string, password: string) {
  const csrf = csrfTokenOf((await agent.get('/signin').expect(200)).text);
  return agent.post('/signin').type('form').set('Accept', 'text/html').send({ _csrf: csrf, email, password });
}

// In order: the first test leaves the address's count of /signin failures empty, the second fills it.
describe('the per-address limit of the sign-in forms', () => {
  it('when five people behind one address sign in with the right password, then none is refused', async () => {
    const accounts = await Promise.all(
      Array.from({ length: 5 }, () => createTestAccount(rounds, { roles: ['mentor'] })),
    );
    const statuses: number[] = [];
    for (const account of accounts)
      statuses.push((await postSignIn(request.agent(rounds.url), account.email, account.password)).status);
    expect(statuses).toEqual([303, 303, 303, 303, 303]);
  });

  it('when /signin has failed three times from an address, then it answers 429 there but /set-password and /signin/code still answer', async () => {
    const agent = request.agent(rounds.url);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await postSignIn(agent, newEmail(), 'a wrong one')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);

    const account = await createTestAccount(rounds, { roles: ['mentor'] });
    expect((await postSignIn(agent, account.email, account.password)).status).toBe(429);

    // Other forms keep their own counts.
    const unknownLink = await agent
      .post(`/set-password/${'x'.repeat(43)}`)
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: 'none', password: 'p', confirmation: 'p' });
    expect(unknownLink.status).not.toBe(429);
    const code = await agent.post('/signin/code').type('form').send({ _csrf: 'none', code: '123456' });
    expect(code.status).not.toBe(429);
  });
});
