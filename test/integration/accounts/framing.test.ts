import request from 'supertest';
import { UserModel } from '../../../src/tenancy';
import { signedInAs, useTestRounds } from '../../support';
import { signInAccount } from '../../support/accounts';

// Which LMS pages may frame an account's pages: an operator's none (one click in a framed operator page could
// remove a platform), a tenant's account those of its own LMS, an anonymous page every active platform's.

const rounds = useTestRounds();
let sandboxOrigin: string;
let tenantId: string;

function frameAncestors(response: request.Response): string {
  const csp = String(response.headers['content-security-policy'] ?? '');
  return (/frame-ancestors ([^;]*)/.exec(csp)?.[1] ?? '').trim();
}

beforeAll(async () => {
  await signedInAs(rounds, 'nurse');
  tenantId = String((await UserModel.findOne({ subject: '3' }).lean())!.tenantId);
  sandboxOrigin = new URL(rounds.url).origin;
});

it('when nobody is signed in, then the sign-in page may be framed by the active platforms', async () => {
  expect(frameAncestors(await request(rounds.url).get('/signin'))).toContain(sandboxOrigin);
});

it('when an operator is signed in, then their pages may be framed by Rounds alone', async () => {
  const { agent } = await signInAccount(rounds, { roles: ['operator'], totp: true });
  for (const path of ['/account', '/admin/platforms', '/operator/tenants']) {
    const page = await agent.get(path).expect(200);
    expect(frameAncestors(page)).toBe("'self'");
  }
});

it('when a tenant admin account is signed in, then its pages may be framed by its own LMS', async () => {
  const { agent } = await signInAccount(rounds, { roles: [{ role: 'tenant-admin', tenantId }] });
  expect(frameAncestors(await agent.get('/account').expect(200))).toContain(sandboxOrigin);
});
