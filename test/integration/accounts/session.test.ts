import mongoose from 'mongoose';
import request from 'supertest';
import { startAccountSession } from '../../../src/shared/auth/session.service';
import { TenantModel } from '../../../src/tenancy';
import { signedInAs, useTestRounds } from '../../support';
import { createTestAccount, signInAccount } from '../../support/accounts';

// The session glue (issue 11): an account's session is an account, not an LTI actor; it becomes its tenant's
// admin on the existing admin pages only when it administers exactly one tenant and has passed TOTP if its
// roles need it; requireAccount sends operators without a checked second factor to enrol or to the challenge.

const rounds = useTestRounds();
const lifetime = { idleHours: 8, absoluteHours: 12 };

async function sandboxTenantId(): Promise<string> {
  const tenant = await TenantModel.findOne({ issuer: rounds.sandbox!.issuer }).lean();
  if (tenant) return String(tenant._id);
  await signedInAs(rounds, 'nurse'); // the first launch creates the sandbox's tenant
  return String((await TenantModel.findOne({ issuer: rounds.sandbox!.issuer }).lean())!._id);
}

describe('what an account session opens', () => {
  it('when an account administers one tenant, then the tenant-admin pages serve it as that tenant’s admin', async () => {
    const tenantId = await sandboxTenantId();
    const { agent } = await signInAccount(rounds, { roles: [{ role: 'tenant-admin', tenantId }] });
    const page = await agent.get('/admin/wellbeing').expect(200);
    expect(page.text).toContain('name="_csrf"');
  });

  it('when an account administers two tenants, or holds only mentor, then it is nobody’s admin and LTI pages answer 401', async () => {
    const tenantId = await sandboxTenantId();
    const two = await signInAccount(rounds, {
      roles: [
        { role: 'tenant-admin', tenantId },
        { role: 'tenant-admin', tenantId: new mongoose.Types.ObjectId().toString() },
      ],
    });
    await two.agent.get('/admin/wellbeing').expect(401);
    const mentor = await signInAccount(rounds, { roles: ['mentor'] });
    await mentor.agent.get('/admin/wellbeing').expect(401);
    await mentor.agent.get('/home').expect(401);
  });

  it('when a tenant admin also holds cme-admin, then the admin pages wait for its TOTP check', async () => {
    const tenantId = await sandboxTenantId();
    const roles = [
      { role: 'tenant-admin' as const, tenantId },
      { role: 'cme-admin' as const, tenantId },
    ];
    const unchecked = await signInAccount(rounds, { roles });
    expect((await unchecked.agent.get('/admin/wellbeing')).status).toBe(401);
    const checked = await signInAccount(rounds, { roles, totp: true });
    expect((await checked.agent.get('/admin/wellbeing')).status).toBe(200);
  });
});

describe('requireAccount on the operator’s pages', () => {
  it('when nobody, an LTI admin or a mentor account asks, then 401, 403 and 403', async () => {
    await request(rounds.url).get('/operator/platforms').expect(401);
    const { agent: ltiAdmin } = await signedInAs(rounds, 'cmeAdmin');
    await ltiAdmin.get('/operator/platforms').expect(403);
    const { agent: mentor } = await signInAccount(rounds, { roles: ['mentor'] });
    await mentor.get('/operator/platforms').expect(403);
  });

  it('when an operator has no TOTP, then it is sent to enrol; with TOTP on but unchecked, to the code challenge', async () => {
    const { agent } = await signInAccount(rounds, { roles: ['operator'] });
    expect((await agent.get('/operator/platforms').expect(303)).headers.location).toBe('/account/totp');

    const enrolled = await createTestAccount(rounds, { roles: ['operator'], totp: true });
    const token = await startAccountSession(enrolled.accountId, { mfaVerified: false }, lifetime);
    const unchecked = await request(rounds.url)
      .get('/operator/platforms')
      .set('Cookie', `rounds_session=${token}`);
    expect(unchecked.status).toBe(303);
    expect(unchecked.headers.location).toBe('/signin/code');
    // The challenge serves that session without a pending sign-in.
    await request(rounds.url).get('/signin/code').set('Cookie', `rounds_session=${token}`).expect(200);
  });

  it('when an operator passed TOTP, then the operator pages let it through', async () => {
    const { agent } = await signInAccount(rounds, { roles: ['operator'], totp: true });
    const answer = await agent.get('/operator/platforms');
    expect(answer.status).not.toBe(401);
    expect(answer.status).not.toBe(403);
    expect(answer.headers.location ?? '').not.toMatch(/^\/(account\/totp|signin)/);
  });
});
