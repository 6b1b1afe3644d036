import request from 'supertest';
import { AccountModel } from '../../../src/accounts/account.model';
import { createAccount, startPasswordReset } from '../../../src/accounts/accounts.service';
import { csrfTokenOf, useTestRounds } from '../../support';
import { createTestAccount } from '../../support/accounts';

// A reset by the operator (`npx rounds user reset-password`, issue 11): whoever asked may suspect someone else
// knows the password, so it stops working at once, and no link sent before the reset still sets one.

const rounds = useTestRounds();
const unusable = 'This link has expired or was already used. Ask for a new one.';

async function signIn(email: string, password: string) {
  const agent = request.agent(rounds.url);
  const csrf = csrfTokenOf((await agent.get('/signin').expect(200)).text);
  return agent.post('/signin').type('form').send({ _csrf: csrf, email, password });
}

describe('a password reset', () => {
  it('when a password is reset, then the old password no longer signs in, before the link is used', async () => {
    const account = await createTestAccount(rounds, { roles: ['mentor'] });
    expect((await signIn(account.email, account.password)).status).toBe(303);
    await startPasswordReset(account.email, 7);
    expect((await AccountModel.findById(account.accountId).lean())!.passwordHash).toBe('');
    const refused = await signIn(account.email, account.password);
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('The e-mail address or password is not right.');
  });

  it('when an invitation was sent and the password is then reset, then the invitation link is dead and the reset link works', async () => {
    const email = `invited-then-reset-${Date.now()}@example.org`;
    const invitation = await createAccount({ email, role: 'mentor' }, { linkDays: 7, grantedBy: 'test' });
    const reset = await startPasswordReset(email, 7);
    const dead = await request(rounds.url)
      .get(`/set-password/${invitation.token}`)
      .set('Accept', 'text/html');
    expect(dead.status).toBe(400);
    expect(dead.text).toContain(unusable);
    await request(rounds.url).get(`/set-password/${reset}`).expect(200);
  });
});
