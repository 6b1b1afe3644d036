import request from 'supertest';
import { AccountModel } from '../../../src/accounts/account.model';
import { AccountAuditModel } from '../../../src/accounts/accountAudit.model';
import { verifyPassword } from '../../../src/accounts/password.service';
import { SessionModel } from '../../../src/shared/auth/session.model';
import { TenantModel } from '../../../src/tenancy';
import { decodeHtml, launchAs, openForm, sessionTokenOf, useTestRounds, type Agent } from '../../support';
import { signInAccount, signInOverHttp } from '../../support/accounts';

// The account page (issue 11): who you are and your roles in words, two-step sign-in's state, changing the
// password (which signs every other browser out), and signing out everywhere.

const rounds = useTestRounds();
const newPassword = 'lantern orchard quietly 7 ferns';

async function changePassword(agent: Agent, fields: Record<string, string>) {
  const { csrf } = await openForm(agent, '/account');
  return agent
    .post('/account/password')
    .type('form')
    .set('Accept', 'text/html')
    .send({ _csrf: csrf, ...fields });
}

async function storedHash(accountId: string): Promise<string> {
  return (await AccountModel.findById(accountId, { passwordHash: 1 }).lean())!.passwordHash;
}

describe('the account page', () => {
  it('when a mentor who administers a tenant opens /account, then it shows the e-mail, name, roles in words with the LMS name, and TOTP off', async () => {
    await launchAs(rounds, 'physician'); // The sandbox's tenant exists from its first launch.
    const tenant = (await TenantModel.findOne({}).lean())!;
    const { agent, email } = await signInAccount(rounds, {
      name: 'Dana Okafor',
      roles: ['mentor', { role: 'tenant-admin', tenantId: String(tenant._id) }],
    });
    const page = decodeHtml((await agent.get('/account').expect(200)).text);
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page).toContain(`<dd>${email}</dd>`);
    expect(page).toContain('<dd>Dana Okafor</dd>');
    expect(page).toContain('<li>Mentor</li>');
    expect(page).toContain(`<li>Administrator for ${tenant.platformName}</li>`);
    expect(page).toContain('<span class="status status--inactive">Off</span>');
    expect(page).toContain('href="/account/totp"');
    expect(page).toContain('action="/signout/everywhere"');
  });

  it('when an operator with TOTP opens /account, then it says TOTP is on, with the unused recovery codes counted', async () => {
    const { agent } = await signInAccount(rounds, { roles: ['operator'], totp: true });
    const page = decodeHtml((await agent.get('/account').expect(200)).text);
    expect(page).toContain('<li>Operator of this Rounds installation</li>');
    expect(page).toContain('<span class="status status--active">On</span>');
    expect(page).toContain('10 of 10 unused');
  });

  it('when nobody is signed in, or an LTI admin is, then /account answers 401', async () => {
    await request(rounds.url).get('/account').set('Accept', 'text/html').expect(401);
    const { agent } = await launchAs(rounds, 'cmeAdmin');
    await agent.get('/account').set('Accept', 'text/html').expect(401);
  });
});

describe('changing the password', () => {
  it('when the current password is wrong, then it is refused beside its field, no password is echoed, and nothing changes', async () => {
    const { agent, accountId } = await signInAccount(rounds);
    const before = await storedHash(accountId);
    const answer = await changePassword(agent, {
      currentPassword: 'not my password at all 99',
      newPassword,
      confirmPassword: newPassword,
    });
    expect(answer.status).toBe(400);
    const page = decodeHtml(answer.text);
    expect(page).toContain('<title>Error: Your account · Rounds</title>');
    expect(page).toContain('<a href="#current-password">Your current password is not right.</a>');
    expect(page).toContain('id="current-password-error"');
    expect(page).not.toContain('not my password at all 99');
    expect(page).not.toContain(newPassword);
    expect(await storedHash(accountId)).toBe(before);
    expect(await AccountAuditModel.countDocuments({ accountId, event: 'password-changed' })).toBe(0);
  });

  it('when the new password is too short, common, or not confirmed alike, then each is refused beside its field', async () => {
    const { agent, accountId, password } = await signInAccount(rounds);
    const before = await storedHash(accountId);
    const short = await changePassword(agent, {
      currentPassword: password,
      newPassword: 'short one',
      confirmPassword: 'short one',
    });
    expect(short.status).toBe(400);
    expect(decodeHtml(short.text)).toContain('<a href="#new-password">Use at least 15 characters.</a>');
    const common = await changePassword(agent, {
      currentPassword: password,
      newPassword: '1qaz2wsx3edc4rfv',
      confirmPassword: '1qaz2wsx3edc4rfv',
    });
    expect(common.status).toBe(400);
    expect(decodeHtml(common.text)).toContain('<a href="#new-password">This password is too common.');
    const mismatch = await changePassword(agent, {
      currentPassword: password,
      newPassword,
      confirmPassword: `${newPassword}!`,
    });
    expect(mismatch.status).toBe(400);
    expect(decodeHtml(mismatch.text)).toContain(
      '<a href="#confirm-password">The two new passwords are not the same.</a>',
    );
    const empty = await changePassword(agent, { currentPassword: '', newPassword: '', confirmPassword: '' });
    expect(empty.status).toBe(400);
    expect(decodeHtml(empty.text)).toContain('<a href="#current-password">Enter your current password.</a>');
    expect(await storedHash(accountId)).toBe(before);
  });

  it('when it is changed, then this browser stays signed in on a new session id, every other browser is signed out, and the new password works', async () => {
    const account = await signInAccount(rounds);
    const other = request.agent(rounds.url);
    await signInOverHttp(other, account);
    await other.get('/account').expect(200);
    const answer = await changePassword(account.agent, {
      currentPassword: account.password,
      newPassword,
      confirmPassword: newPassword,
    });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/account?done=password-changed');
    expect(sessionTokenOf(answer)).toBeDefined();
    const page = decodeHtml((await account.agent.get(answer.headers.location!).expect(200)).text);
    expect(page).toContain('Your password was changed.');
    await other.get('/account').set('Accept', 'text/html').expect(401);
    expect(await SessionModel.countDocuments({ accountId: account.accountId })).toBe(1);
    expect(await verifyPassword(await storedHash(account.accountId), newPassword)).toBe(true);
    expect(
      await AccountAuditModel.countDocuments({ accountId: account.accountId, event: 'password-changed' }),
    ).toBe(1);
  });

  it('when the form is posted without its CSRF token, then 403 and the password stays', async () => {
    const { agent, accountId, password } = await signInAccount(rounds);
    const before = await storedHash(accountId);
    await agent
      .post('/account/password')
      .type('form')
      .set('Accept', 'text/html')
      .send({ currentPassword: password, newPassword, confirmPassword: newPassword })
      .expect(403);
    expect(await storedHash(accountId)).toBe(before);
  });
});

describe('notices after a redirect', () => {
  it('when ?done= names something of Object’s own (constructor, toString, __proto__), then no notice is shown', async () => {
    const { agent } = await signInAccount(rounds);
    for (const done of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const page = decodeHtml((await agent.get(`/account?done=${done}`).expect(200)).text);
      expect(page).not.toContain('class="notice"');
      expect(page).not.toContain('function');
    }
  });
});

describe('signing out everywhere', () => {
  it('when the button is used, then every session of the account ends, another browser’s included', async () => {
    const account = await signInAccount(rounds);
    const other = request.agent(rounds.url);
    await signInOverHttp(other, account);
    const { csrf } = await openForm(account.agent, '/account');
    const answer = await account.agent
      .post('/signout/everywhere')
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    expect(answer.headers.location).toMatch(/^\/signin/);
    await other.get('/account').set('Accept', 'text/html').expect(401);
    await account.agent.get('/account').set('Accept', 'text/html').expect(401);
    expect(await SessionModel.countDocuments({ accountId: account.accountId })).toBe(0);
  });
});
