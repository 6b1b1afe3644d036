import request from 'supertest';
import { AccountModel } from '../../../src/accounts/account.model';
import { decodeBase32, totpCodeAt, totpStepAt } from '../../../src/accounts/totp';
import { SessionModel } from '../../../src/shared/auth/session.model';
import { decodeHtml, launchAs, openForm, sessionTokenOf, useTestRounds } from '../../support';
import { atCodeStep, createTestAccount, postCode, signInAccount } from '../../support/accounts';

// Two-step sign-in (issue 11): enrolment with a QR code and a confirming code, recovery codes shown once, and the
// code step of signing in refusing a replayed code or a spent recovery code.

const rounds = useTestRounds();

/** The manual-entry key shown on the enrol page, without its spaces. */
function secretOn(html: string): string {
  const grouped = /<p class="totp-secret"><code>([A-Z2-7 ]+)<\/code>/.exec(html)?.[1];
  if (!grouped) throw new Error('no secret on the enrol page:\n' + html.slice(0, 800));
  return grouped.replace(/ /g, '');
}

/** A 6-digit code that none of the steps around now accepts. */
function wrongCodeFor(secret: string): string {
  const now = Date.now();
  const valid = [-60_000, -30_000, 0, 30_000, 60_000].map((offset) => totpCodeAt(secret, now + offset));
  return ['000000', '111111', '222222', '333333'].find((code) => !valid.includes(code))!;
}

function recoveryCodesOn(html: string): string[] {
  return [...html.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((match) => match[1]!);
}

async function storedAccount(accountId: string) {
  return (await AccountModel.findById(accountId).lean())!;
}

describe('turning on two-step sign-in', () => {
  it('when an operator without TOTP opens /account/totp, then it shows a QR code with a text alternative and the key in groups of four', async () => {
    const { agent, email } = await signInAccount(rounds, { roles: ['operator'] });
    const page = await agent.get('/account/totp').expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const html = decodeHtml(page.text);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toMatch(/<svg class="qr-code" role="img" aria-labelledby="qr-code-text"/);
    expect(html).toContain(`id="qr-code-text">QR code that adds your Rounds account (${email})`);
    expect(html).toMatch(/<p class="totp-secret"><code>([A-Z2-7]{4} ){7}[A-Z2-7]{4}<\/code>/);
    expect(decodeBase32(secretOn(html))).toHaveLength(20);
    expect(html).toContain('<label for="totp-code">');
    expect(html).toContain('autocomplete="one-time-code"');
  });

  it('when the page is reloaded, then the key stays the same (a scanned QR code keeps working); nothing is stored yet', async () => {
    const { agent, accountId } = await signInAccount(rounds, {
      roles: ['operator'],
    });
    const first = secretOn((await agent.get('/account/totp').expect(200)).text);
    const again = secretOn((await agent.get('/account/totp').expect(200)).text);
    expect(again).toBe(first);
    expect((await storedAccount(accountId)).totp).toBeUndefined();
  });

  it('when a wrong code is entered, then the page says so beside the field, keeps what was typed, and TOTP stays off', async () => {
    const { agent, accountId } = await signInAccount(rounds, { roles: ['operator'] });
    const { html, csrf } = await openForm(agent, '/account/totp');
    const secret = secretOn(html);
    const wrong = wrongCodeFor(secret);
    const answer = await agent
      .post('/account/totp')
      .type('form')
      .send({ _csrf: csrf, code: wrong })
      .expect(400);
    const page = decodeHtml(answer.text);
    expect(page).toContain('<title>Error: Turn on two-step sign-in · Rounds</title>');
    expect(page).toContain('<a href="#totp-code">That code is not right.');
    expect(page).toContain('id="totp-code-error"');
    expect(page).toContain(`value="${wrong}"`);
    expect(page).toContain('aria-invalid="true"');
    expect(secretOn(page)).toBe(secret);
    expect((await storedAccount(accountId)).totp).toBeUndefined();
  });

  it('when the right code is entered, then TOTP is on, ten recovery codes are shown once, and the session is renewed as verified', async () => {
    const { agent, accountId } = await signInAccount(rounds, { roles: ['operator'] });
    const { html, csrf } = await openForm(agent, '/account/totp');
    const secret = secretOn(html);
    const answer = await agent
      .post('/account/totp')
      .type('form')
      .send({ _csrf: csrf, code: totpCodeAt(secret, Date.now()) })
      .expect(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    const codes = recoveryCodesOn(answer.text);
    expect(codes).toHaveLength(10);
    expect(codes[0]).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(answer.text).toContain('This is the only time Rounds shows them.');

    const stored = await storedAccount(accountId);
    expect(stored.totp?.enabledAt).toBeInstanceOf(Date);
    expect(stored.recoveryCodes).toHaveLength(10);
    expect(JSON.stringify(stored)).not.toContain(secret);
    for (const code of codes) expect(JSON.stringify(stored)).not.toContain(code);

    const token = sessionTokenOf(answer);
    expect(token).toBeDefined();
    expect(await SessionModel.countDocuments({ accountId })).toBe(1);
    expect((await SessionModel.findOne({ accountId }).lean())?.mfaVerified).toBe(true);

    // Shown once: the account page counts them but never lists them again; the enrol page now leads there.
    const account = decodeHtml((await agent.get('/account').expect(200)).text);
    expect(account).toContain('10 of 10 unused');
    for (const code of codes) expect(account).not.toContain(code);
    await agent.get('/account/totp').expect(303).expect('Location', '/account');
  });

  it('when the enrol form is posted without its CSRF token, then 403 and nothing changes', async () => {
    const { agent, accountId } = await signInAccount(rounds, { roles: ['operator'] });
    const secret = secretOn((await agent.get('/account/totp').expect(200)).text);
    await agent
      .post('/account/totp')
      .type('form')
      .set('Accept', 'text/html')
      .send({ code: totpCodeAt(secret, Date.now()) })
      .expect(403);
    expect((await storedAccount(accountId)).totp).toBeUndefined();
  });

  it('when wrong codes keep coming, then after 10 in 15 minutes the account gets 429 and even a right code waits', async () => {
    const { agent, accountId } = await signInAccount(rounds, { roles: ['operator'] });
    const { html, csrf } = await openForm(agent, '/account/totp');
    const secret = secretOn(html);
    const wrong = wrongCodeFor(secret);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await agent.post('/account/totp').type('form').send({ _csrf: csrf, code: wrong }).expect(400);
    }
    const code = totpCodeAt(secret, Date.now());
    await agent
      .post('/account/totp')
      .type('form')
      .send({ _csrf: csrf, code })
      .set('Accept', 'text/html')
      .expect(429);
    expect((await storedAccount(accountId)).totp).toBeUndefined();
  });

  it('when nobody is signed in, or only an LTI launch is, then /account/totp answers 401', async () => {
    await request(rounds.url).get('/account/totp').set('Accept', 'text/html').expect(401);
    const { agent } = await launchAs(rounds, 'cmeAdmin');
    await agent.get('/account/totp').set('Accept', 'text/html').expect(401);
  });
});

describe('the code step of signing in', () => {
  it('when a code was already used to sign in, then a second browser using it is refused', async () => {
    const account = await createTestAccount(rounds, { roles: ['operator'], totp: true });
    // The enrolment spent the current step's code; the next step's is still fresh.
    const code = totpCodeAt(account.totpSecret!, (totpStepAt(Date.now()) + 1) * 30_000);
    const first = await atCodeStep(rounds, account);
    const second = await atCodeStep(rounds, account);
    await postCode(first, code).then((answer) => expect(answer.status).toBe(303));
    const replayed = await postCode(second, code);
    expect(replayed.status).toBe(401);
    await second.get('/account').set('Accept', 'text/html').expect(401);
  });

  it('when a recovery code is used, then it signs in once; the same code again is refused', async () => {
    const account = await createTestAccount(rounds, { roles: ['operator'], totp: true });
    const code = account.recoveryCodes![4]!;
    const first = await atCodeStep(rounds, account);
    expect((await postCode(first, code)).status).toBe(303);
    await first.get('/account').expect(200);
    expect((await storedAccount(account.accountId)).recoveryCodes.filter((item) => item.usedAt)).toHaveLength(
      1,
    );
    const second = await atCodeStep(rounds, account);
    expect((await postCode(second, code)).status).toBe(401);
  });
});

describe('new recovery codes from the account page', () => {
  it('when a current code is entered, then ten new codes are shown and the old ones stop working', async () => {
    const account = await createTestAccount(rounds, { roles: ['operator'], totp: true });
    const recoveryCodes = account.recoveryCodes!;
    // Signed in with a recovery code: enrolment spent this step's TOTP code, so the next step's is still fresh.
    const agent = await atCodeStep(rounds, account);
    expect((await postCode(agent, recoveryCodes[9]!)).status).toBe(303);
    const { csrf } = await openForm(agent, '/account');
    const code = totpCodeAt(account.totpSecret!, (totpStepAt(Date.now()) + 1) * 30_000);
    const answer = await agent
      .post('/account/recovery-codes')
      .type('form')
      .send({ _csrf: csrf, code })
      .expect(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    const fresh = recoveryCodesOn(answer.text);
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(recoveryCodes[0]);
    const browser = await atCodeStep(rounds, account);
    expect((await postCode(browser, recoveryCodes[0]!)).status).toBe(401);
    expect((await postCode(browser, fresh[0]!)).status).toBe(303);
  });

  it('when a wrong code is entered, then the account page says so beside the field and the codes stay as they were', async () => {
    const { agent, accountId, totpSecret } = await signInAccount(rounds, { roles: ['operator'], totp: true });
    const before = (await storedAccount(accountId)).recoveryCodes;
    const { csrf } = await openForm(agent, '/account');
    const wrong = wrongCodeFor(totpSecret!);
    const answer = await agent
      .post('/account/recovery-codes')
      .type('form')
      .send({ _csrf: csrf, code: wrong })
      .expect(400);
    const page = decodeHtml(answer.text);
    expect(page).toContain('<a href="#regenerate-code">That code is not right.');
    expect(page).toContain(`value="${wrong}"`);
    expect((await storedAccount(accountId)).recoveryCodes).toEqual(before);
  });
});
