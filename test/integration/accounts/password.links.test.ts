import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AccountModel } from '../../../src/accounts/account.model';
import { AccountTokenModel } from '../../../src/accounts/accountToken.model';
import { createAccount, linkTokenHash, startPasswordReset } from '../../../src/accounts/accounts.service';
import { SessionModel } from '../../../src/shared/auth/session.model';
import { csrfTokenOf, useTestRounds } from '../../support';
import { signInAccount } from '../../support/accounts';

// One-time links (issue 11): set-password and reset links are single use, expire, and are stored hashed; an
// expired, used or unknown link reads the same; a short or common password is refused with the e-mail kept.

const rounds = useTestRounds();
const goodPassword = 'a long walk along the river Tay';
const unusable = 'This link has expired or was already used. Ask for a new one.';

let unique = 0;
async function invited(role: 'mentor' | 'operator' = 'mentor') {
  const email = `invited-${Date.now()}-${++unique}@example.org`;
  const { accountId, token } = await createAccount(
    { email, role, name: 'Ada Byron' },
    { linkDays: 7, grantedBy: 'test' },
  );
  return { email, accountId, token };
}

/** Opens the link's page and posts the two passwords with its form token. */
async function setPassword(token: string, password: string, confirmation = password) {
  const agent = request.agent(rounds.url);
  const page = await agent.get(`/set-password/${token}`);
  if (page.status !== 200) return page;
  return agent
    .post(`/set-password/${token}`)
    .type('form')
    .set('Accept', 'text/html')
    .send({ _csrf: csrfTokenOf(page.text), password, confirmation });
}

/** The page without its request reference, for comparing two error pages. */
const withoutReference = (html: string) => html.replace(/reference <code>[^<]+<\/code>/, '');

describe('set-password links', () => {
  it('when an invited person sets a password through the link, then the link is spent and they can sign in', async () => {
    const { email, accountId, token } = await invited();
    expect(await AccountTokenModel.exists({ tokenHash: linkTokenHash(token) })).toBeTruthy();
    expect(await AccountTokenModel.exists({ tokenHash: token })).toBeNull();
    const page = await request(rounds.url).get(`/set-password/${token}`).expect(200);
    expect(page.text).toContain(`value="${email}"`);
    const done = await setPassword(token, goodPassword);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/signin?done=password-set');
    expect((await AccountModel.findById(accountId).lean())!.passwordSetAt).toBeInstanceOf(Date);

    const again = await request(rounds.url).get(`/set-password/${token}`).set('Accept', 'text/html');
    expect(again.status).toBe(400);
    expect(again.text).toContain(unusable);
  });

  it('when a link is expired, used or unknown, then each gets the same 400 page', async () => {
    const expired = await invited();
    await AccountTokenModel.updateOne(
      { tokenHash: linkTokenHash(expired.token) },
      { $set: { expiresAt: new Date(Date.now() - 1000) } },
    );
    const used = await invited();
    expect((await setPassword(used.token, goodPassword)).status).toBe(303);
    const unknown = randomBytes(32).toString('base64url');
    const pages = await Promise.all(
      [expired.token, used.token, unknown].map((token) =>
        request(rounds.url).get(`/set-password/${token}`).set('Accept', 'text/html'),
      ),
    );
    expect(pages.map((page) => page.status)).toEqual([400, 400, 400]);
    expect(pages[0]!.text).toContain(unusable);
    expect(withoutReference(pages[1]!.text)).toBe(withoutReference(pages[0]!.text));
    expect(withoutReference(pages[2]!.text)).toBe(withoutReference(pages[0]!.text));
  });

  it.each([
    ['too short', 'short but ok', 'Use at least 15 characters.'],
    ['common', 'passwordpassword', 'This password is too common. Choose another one.'],
    ['one repeated character', 'aaaaaaaaaaaaaaaaaa', 'Do not repeat a single character.'],
  ])(
    'when the new password is %s, then it is refused with its message, the e-mail kept and the link still usable',
    async (_what, password, message) => {
      const { email, accountId, token } = await invited();
      const refused = await setPassword(token, password);
      expect(refused.status).toBe(400);
      expect(refused.text).toContain(message);
      expect(refused.text).toContain(`value="${email}"`);
      expect(refused.text).not.toContain(password);
      expect((await AccountModel.findById(accountId).lean())!.passwordHash).toBe('');
      expect((await setPassword(token, goodPassword)).status).toBe(303);
    },
  );

  it('when the password is the e-mail address, then it is refused', async () => {
    const { email, token } = await invited();
    const refused = await setPassword(token, email);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Do not use your e-mail address or your name.');
  });

  it('when an operator (who must use TOTP) chooses 12 characters, then it is accepted; the two fields must match', async () => {
    const { token } = await invited('operator');
    const mismatch = await setPassword(token, 'tay bridge 12', 'tay bridge 13');
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('The two passwords are not the same.');
    expect((await setPassword(token, 'tay bridge 12')).status).toBe(303);
  });

  it('when the form comes without its CSRF token, then it answers 403 and the link stays unused', async () => {
    const { token } = await invited();
    const agent = request.agent(rounds.url);
    await agent.get(`/set-password/${token}`).expect(200);
    const refused = await agent
      .post(`/set-password/${token}`)
      .type('form')
      .send({ password: goodPassword, confirmation: goodPassword });
    expect(refused.status).toBe(403);
    expect(
      (await AccountTokenModel.findOne({ tokenHash: linkTokenHash(token) }).lean())!.usedAt,
    ).toBeUndefined();
  });

  it('when an operator resets a password, then the account’s sessions end and the reset link sets a new password once', async () => {
    const account = await signInAccount(rounds, { roles: ['mentor'] });
    expect(await SessionModel.countDocuments({ accountId: account.accountId })).toBe(1);
    const token = await startPasswordReset(account.email.toUpperCase(), 7);
    expect(await SessionModel.countDocuments({ accountId: account.accountId })).toBe(0);
    expect((await setPassword(token, 'a different long passphrase')).status).toBe(303);
    expect((await setPassword(token, 'yet another long passphrase')).status).toBe(400);
  });
});
