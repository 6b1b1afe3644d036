import { createHash, createHmac, hkdfSync } from 'node:crypto';
import request from 'supertest';
import { AccountAuditModel } from '../../../src/accounts/accountAudit.model';
import { emailHash, recordAccountEvent } from '../../../src/accounts/accounts.service';
import { SignInThrottleModel } from '../../../src/accounts/signinThrottle.model';
import { totpCodeAt } from '../../../src/accounts/totp';
import { sweepExpired } from '../../../src/shared/sweeper';
import { csrfTokenOf, useTestRounds, type Agent } from '../../support';
import { createTestAccount, signInAccount } from '../../support/accounts';

// Review mends of the sign-in lockout (issue 11): an attempt is counted before its password or code is checked,
// so parallel requests cannot slip past the lock; a right password before a second factor does not wipe wrong
// codes; e-mails are kept as keyed digests, audit entries only for their retention; `?done=` reads own keys only.

const rounds = useTestRounds();

let unique = 0;
const newEmail = () => `lockout-${Date.now()}-${++unique}@example.org`;

async function formToken(agent: Agent, path: string): Promise<string> {
  return csrfTokenOf((await agent.get(path).expect(200)).text);
}

async function postPassword(agent: Agent, email: string, password: string) {
  const csrf = await formToken(agent, '/signin');
  return agent.post('/signin').type('form').set('Accept', 'text/html').send({ _csrf: csrf, email, password });
}

/** A six-digit code no step within the drift accepts now (nor the next minute). */
function wrongCode(secret: string): string {
  const near = [-1, 0, 1, 2, 3].map((steps) => totpCodeAt(secret, Date.now() + steps * 30_000));
  for (let n = 0; ; n += 1) {
    const code = String(n * 111_111 + 123_456).slice(-6);
    if (!near.includes(code)) return code;
  }
}

describe('the lockout counts before it checks', () => {
  it('when a right password comes between wrong codes, then the fifth wrong code still locks the e-mail', async () => {
    const account = await createTestAccount(rounds, { roles: ['operator'], totp: true });
    const agent = request.agent(rounds.url);
    const wrong = wrongCode(account.totpSecret!);
    const statuses: number[] = [];
    for (const codes of [2, 2, 1]) {
      const password = await postPassword(agent, account.email, account.password);
      if (password.status !== 303) {
        statuses.push(password.status);
        break;
      }
      expect(password.headers.location).toBe('/signin/code');
      for (let i = 0; i < codes; i += 1) {
        const csrf = await formToken(agent, '/signin/code');
        statuses.push(
          (await agent.post('/signin/code').type('form').send({ _csrf: csrf, code: wrong })).status,
        );
      }
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    expect((await postPassword(agent, account.email, account.password)).status).toBe(429);
    expect(await AccountAuditModel.countDocuments({ accountId: account.accountId, event: 'lockout' })).toBe(
      1,
    );
  });

  it('when 20 wrong passwords arrive at once, then at most 5 are checked and the right one then gets 429', async () => {
    const account = await createTestAccount(rounds, { roles: ['mentor'] });
    const agent = request.agent(rounds.url);
    const csrf = await formToken(agent, '/signin');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        agent
          .post('/signin')
          .type('form')
          .send({ _csrf: csrf, email: account.email, password: `wrong guess ${i}` }),
      ),
    );
    expect(answers.every((answer) => [401, 429].includes(answer.status))).toBe(true);
    const checked = await AccountAuditModel.countDocuments({
      accountId: account.accountId,
      event: 'signin-failed',
    });
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(5);
    expect((await postPassword(agent, account.email, account.password)).status).toBe(429);
  });

  it('when 20 wrong passwords for an unknown e-mail arrive at once, then it too has at most 5 checked', async () => {
    const email = newEmail();
    const agent = request.agent(rounds.url);
    const csrf = await formToken(agent, '/signin');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        agent
          .post('/signin')
          .type('form')
          .send({ _csrf: csrf, email, password: `wrong guess ${i}` }),
      ),
    );
    const checked = await AccountAuditModel.countDocuments({
      emailHash: emailHash(email),
      event: 'signin-failed',
    });
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(5);
    expect((await postPassword(agent, email, 'yet another guess')).status).toBe(429);
  });

  it('when 20 wrong codes arrive at once, then at most 5 are checked and the right code then gets 429', async () => {
    const account = await createTestAccount(rounds, { roles: ['operator'], totp: true });
    const agent = request.agent(rounds.url);
    expect((await postPassword(agent, account.email, account.password)).headers.location).toBe(
      '/signin/code',
    );
    const csrf = await formToken(agent, '/signin/code');
    const wrong = wrongCode(account.totpSecret!);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        agent.post('/signin/code').type('form').send({ _csrf: csrf, code: wrong }),
      ),
    );
    const checked = await AccountAuditModel.countDocuments({
      accountId: account.accountId,
      event: 'totp-failed',
    });
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(5);
    const right = totpCodeAt(account.totpSecret!, Date.now() + 30_000);
    const late = await agent.post('/signin/code').type('form').send({ _csrf: csrf, code: right });
    expect(late.status).toBe(429);
  });
});

describe('what the sign-in records keep', () => {
  it('when an e-mail fails to sign in, then its throttle and audit keep an HMAC under a key from LTI_ENCRYPTION_KEY, not its SHA-256', async () => {
    const email = newEmail();
    expect((await postPassword(request.agent(rounds.url), email, 'a wrong password')).status).toBe(401);
    const key = Buffer.from(
      hkdfSync(
        'sha256',
        Buffer.from(rounds.config.ltiEncryptionKey, 'utf8'),
        'rounds/accounts',
        'rounds e-mail digests v1',
        32,
      ),
    );
    const keyed = createHmac('sha256', key).update(email).digest('hex');
    const plain = createHash('sha256').update(email).digest('hex');
    expect(await SignInThrottleModel.countDocuments({ key: plain })).toBe(0);
    expect(await SignInThrottleModel.countDocuments({ key: keyed })).toBe(1);
    expect(await AccountAuditModel.countDocuments({ emailHash: plain })).toBe(0);
    expect(await AccountAuditModel.countDocuments({ emailHash: keyed, event: 'signin-failed' })).toBe(1);
  });

  it('when audit entries are older than auditRetentionDays, then the sweep deletes them and keeps the younger', async () => {
    const now = new Date('2033-03-01T12:00:00Z');
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
    const retention = rounds.config.auditRetentionDays;
    const detail = `retention-${Date.now()}`;
    await recordAccountEvent(
      'signin-failed',
      { email: newEmail(), detail: `${detail} old` },
      daysAgo(retention + 1),
    );
    await recordAccountEvent(
      'signin-failed',
      { email: newEmail(), detail: `${detail} young` },
      daysAgo(retention - 1),
    );
    await sweepExpired(now);
    const left = await AccountAuditModel.find({ detail: { $regex: `^${detail}` } }).lean();
    expect(left.map((entry) => entry.detail)).toEqual([`${detail} young`]);
  });
});

describe('notices after a redirect', () => {
  it('when ?done= names something that is not a notice (constructor), then /signin and the operator’s platforms page show none', async () => {
    const signin = await request(rounds.url).get('/signin?done=constructor').expect(200);
    expect(signin.text).not.toContain('class="notice"');
    const { agent } = await signInAccount(rounds, { roles: ['operator'], totp: true });
    const platforms = await agent.get('/admin/platforms?done=constructor').expect(200);
    expect(platforms.text).not.toContain('class="notice"');
  });
});
