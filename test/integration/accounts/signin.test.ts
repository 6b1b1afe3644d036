import { performance } from 'node:perf_hooks';
import type { Request } from 'express';
import request from 'supertest';
import { emailHash, sweepAccountRecords } from '../../../src/accounts/accounts.service';
import { AccountAuditModel } from '../../../src/accounts/accountAudit.model';
import { SignInThrottleModel } from '../../../src/accounts/signinThrottle.model';
import { signInWithPassword } from '../../../src/accounts/signin.service';
import { SessionModel } from '../../../src/shared/auth/session.model';
import { csrfTokenFor } from '../../../src/shared/http/csrf';
import { csrfTokenOf, sessionTokenOf, signedInAs, useTestRounds, type Agent } from '../../support';
import { createTestAccount, signInAccount, signInOverHttp } from '../../support/accounts';

// Sign-in with a Rounds account (issue 11): one answer for an unknown e-mail and a wrong password, lockout per
// e-mail (known or not) and its end, a new session id on every sign-in, sign-out everywhere, CSRF before a session.

const rounds = useTestRounds();

let unique = 0;
const newEmail = () => `someone-${Date.now()}-${++unique}@example.org`;

/** Opens /signin in `agent` (setting its pre-session cookie) and posts the form; the token is read first. */
async function postSignIn(agent: Agent, email: string, password: string) {
  const csrf = csrfTokenOf((await agent.get('/signin').expect(200)).text);
  return agent.post('/signin').type('form').set('Accept', 'text/html').send({ _csrf: csrf, email, password });
}

describe('signing in', () => {
  it('when the e-mail (in any case) and password are right, then a session starts and /signin leads to /account', async () => {
    const account = await createTestAccount(rounds, { roles: ['mentor'] });
    const agent = request.agent(rounds.url);
    const answer = await postSignIn(agent, `  ${account.email.toUpperCase()} `, account.password);
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/account');
    expect(await SessionModel.countDocuments({ accountId: account.accountId })).toBe(1);
    expect(await AccountAuditModel.countDocuments({ accountId: account.accountId, event: 'signin' })).toBe(1);
  });

  it('when the e-mail is unknown or the password wrong, then both get the same status and page (but the e-mail typed), in similar time', async () => {
    const account = await createTestAccount(rounds, { roles: ['mentor'] });
    const agent = request.agent(rounds.url);
    const unknownEmail = newEmail();
    const wrong = await postSignIn(agent, account.email, 'not the password at all');
    const unknown = await postSignIn(agent, unknownEmail, 'not the password at all');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.text).toContain('The e-mail address or password is not right.');
    expect(wrong.text).toContain(`value="${account.email}"`);
    expect(unknown.text.replace(unknownEmail, 'EMAIL')).toBe(wrong.text.replace(account.email, 'EMAIL'));

    // Time: the median of seven of each (an argon2id verification either way).
    const time = async (email: string) => {
      // Below the lockout, which would skip the hash: the account's failures are forgotten before each try.
      await SignInThrottleModel.deleteOne({ key: emailHash(email) });
      const csrf = csrfTokenOf((await agent.get('/signin')).text);
      const started = performance.now();
      await agent.post('/signin').type('form').send({ _csrf: csrf, email, password: 'another wrong one' });
      return performance.now() - started;
    };
    const wrongTimes: number[] = [];
    const unknownTimes: number[] = [];
    // Alternated, and which goes first alternates too, so load from other test files hits both alike.
    for (let i = 0; i < 7; i += 1) {
      if (i % 2) unknownTimes.push(await time(newEmail()));
      wrongTimes.push(await time(account.email));
      if (!(i % 2)) unknownTimes.push(await time(newEmail()));
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const ratio = median(unknownTimes) / median(wrongTimes);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('when five sign-ins fail, then the sixth is refused even with the right password and the page shows when the lock ends', async () => {
    const account = await createTestAccount(rounds, { roles: ['mentor'] });
    const agent = request.agent(rounds.url);
    for (let i = 0; i < 4; i += 1)
      expect((await postSignIn(agent, account.email, `wrong ${i}`)).status).toBe(401);
    const fifth = await postSignIn(agent, account.email, 'wrong 5');
    expect(fifth.status).toBe(429);
    const locked = await postSignIn(agent, account.email, account.password);
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('Sign-in is paused for this e-mail address');
    const until = (await SignInThrottleModel.findOne({ key: emailHash(account.email) }).lean())!.lockedUntil!;
    expect(locked.text).toContain(`datetime="${until.toISOString().replace('Z', '')}`);
    expect(locked.text).toContain(`value="${account.email}"`);
    expect(await SessionModel.countDocuments({ accountId: account.accountId })).toBe(0);
    expect(await AccountAuditModel.countDocuments({ accountId: account.accountId, event: 'lockout' })).toBe(
      1,
    );

    // The lock's end passes (moved back in the database): the right password works again.
    await SignInThrottleModel.updateOne(
      { key: emailHash(account.email) },
      { $set: { lockedUntil: new Date(Date.now() - 1000) } },
    );
    expect((await postSignIn(agent, account.email, account.password)).status).toBe(303);
  });

  it('when an unknown e-mail fails five times, then it locks as a known one does (nothing tells them apart)', async () => {
    const agent = request.agent(rounds.url);
    const email = newEmail();
    const answers = [];
    for (let i = 0; i < 6; i += 1) answers.push((await postSignIn(agent, email, `wrong ${i}`)).status);
    expect(answers).toEqual([401, 401, 401, 401, 429, 429]);
    expect(await AccountAuditModel.countDocuments({ emailHash: emailHash(email), event: 'lockout' })).toBe(1);
  });

  it('when the clock passes the lock time, then the service lets the right password in again', async () => {
    const account = await createTestAccount(rounds, { roles: ['mentor'] });
    const rule = { failuresBeforeLock: 5, lockMinutes: 15 };
    const t0 = new Date('2031-05-06T10:00:00Z');
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    const attempt = (password: string, minutes: number) =>
      signInWithPassword({ email: account.email, password, address: '127.0.0.1' }, rule, at(minutes));
    for (let i = 0; i < 4; i += 1) expect(await attempt('wrong', i)).toEqual({ kind: 'refused' });
    expect(await attempt('wrong', 4)).toEqual({ kind: 'locked', until: at(19) });
    expect(await attempt(account.password, 18.9)).toEqual({ kind: 'locked', until: at(19) });
    expect(await attempt(account.password, 19)).toMatchObject({ kind: 'signed-in' });
  });

  it('when failures are spread over more than the window, then they do not lock', async () => {
    const account = await createTestAccount(rounds, { roles: ['mentor'] });
    const rule = { failuresBeforeLock: 5, lockMinutes: 15 };
    const t0 = new Date('2031-06-06T10:00:00Z').getTime();
    for (let i = 0; i < 8; i += 1) {
      const outcome = await signInWithPassword(
        { email: account.email, password: 'wrong', address: '127.0.0.1' },
        rule,
        new Date(t0 + i * 4 * 60_000),
      );
      expect(outcome).toEqual({ kind: 'refused' });
    }
  });

  it('when the form comes without its CSRF token, then it answers 403 and signs nobody in', async () => {
    const account = await createTestAccount(rounds, { roles: ['mentor'] });
    const agent = request.agent(rounds.url);
    await agent.get('/signin').expect(200);
    const refused = await agent
      .post('/signin')
      .type('form')
      .set('Accept', 'text/html')
      .send({ email: account.email, password: account.password });
    expect(refused.status).toBe(403);
    // A token from another browser (another pre-session cookie) is refused too.
    const otherToken = csrfTokenOf((await request(rounds.url).get('/signin')).text);
    const forged = await agent
      .post('/signin')
      .type('form')
      .send({ _csrf: otherToken, email: account.email, password: account.password });
    expect(forged.status).toBe(403);
    expect(await SessionModel.countDocuments({ accountId: account.accountId })).toBe(0);
  });
});

describe('sessions of accounts', () => {
  it('when a browser with an LTI session signs in to an account, then the session id changes and the old cookie opens nothing', async () => {
    const { agent, launch } = await signedInAs(rounds, 'nurse');
    const launchToken = sessionTokenOf(launch)!;
    const account = await createTestAccount(rounds, { roles: ['mentor'] });
    const answer = await postSignIn(agent, account.email, account.password);
    const accountToken = sessionTokenOf(answer)!;
    expect(accountToken).toBeDefined();
    expect(accountToken).not.toBe(launchToken);
    await request(rounds.url).get('/home').set('Cookie', `rounds_session=${launchToken}`).expect(401);

    // Signing in again in the same browser rotates it again.
    const again = await postSignIn(agent, account.email, account.password);
    expect(sessionTokenOf(again)).not.toBe(accountToken);
    expect(await SessionModel.countDocuments({ accountId: account.accountId })).toBe(1);
  });

  it('when an account signs out everywhere, then its sessions in other browsers end too', async () => {
    const { agent, sessionToken, ...account } = await signInAccount(rounds, { roles: ['mentor'] });
    const other = request.agent(rounds.url);
    await signInOverHttp(other, account);
    expect(await SessionModel.countDocuments({ accountId: account.accountId })).toBe(2);

    // The form token of this browser's session, as the account page's "Sign out everywhere" form carries it.
    const csrf = csrfTokenFor({ sessionToken } as Request, rounds.config.sessionSecret);
    const refused = await other.post('/signout/everywhere').type('form').send({ _csrf: 'not-it' });
    expect(refused.status).toBe(403);
    const ended = await agent.post('/signout/everywhere').type('form').send({ _csrf: csrf });
    expect(ended.status).toBe(303);
    expect(ended.headers.location).toBe('/signin?done=signed-out-everywhere');
    expect(await SessionModel.countDocuments({ accountId: account.accountId })).toBe(0);
    expect(
      await AccountAuditModel.countDocuments({ accountId: account.accountId, event: 'signout-everywhere' }),
    ).toBe(1);
    expect((await agent.get('/signin?done=signed-out-everywhere')).text).toContain(
      'You are signed out everywhere.',
    );
  });
});

describe('the sweep of sign-in records', () => {
  it('when throttle records are a day old and unlocked, then the sweep deletes them and keeps live locks and fresh ones', async () => {
    const now = new Date('2032-01-10T12:00:00Z');
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    const [stale, locked, fresh] = [newEmail(), newEmail(), newEmail()].map(emailHash);
    await SignInThrottleModel.create([
      { key: stale, failures: [hoursAgo(30)], updatedAt: hoursAgo(30) },
      { key: locked, failures: [], lockedUntil: new Date(now.getTime() + 60_000), updatedAt: hoursAgo(30) },
      { key: fresh, failures: [hoursAgo(2)], updatedAt: hoursAgo(2) },
    ]);
    await sweepAccountRecords(now);
    const left = await SignInThrottleModel.find({ key: { $in: [stale, locked, fresh] } }).lean();
    expect(left.map((throttle) => throttle.key).sort()).toEqual([locked, fresh].sort());
  });
});
