import request from 'supertest';
import { PlatformModel } from '../../../src/lti/registration/platform.model';
import { proposePlatformChange, registerPlatform } from '../../../src/lti/registration/platform.service';
import { TenantModel } from '../../../src/tenancy/tenant.model';
import { adminAgent, decodeHtml, openForm, signedInAs, useTestRounds, type Agent } from '../../support';
import { signInAccount } from '../../support/accounts';

// Who may reach the operator's pages (issue 11): an operator account with its second factor checked, nobody else.
// An LTI session never passes, whatever its LMS role; a tenant admin (LTI or account) reaches only their own
// tenant's platform, through the tenant view of /admin/platforms.

const rounds = useTestRounds();

/** Another hospital's registration of an LMS (tenant B), with a tenant that has launched. */
const otherHospital = () => ({
  ...rounds.sandbox!.registration,
  clientId: 'st-lukes-client',
  deploymentIds: ['st-lukes-1'],
  name: 'St. Luke’s Moodle',
});

let otherPlatformId: string;
let otherChangeId: string;
let ownTenantId: string;

beforeAll(async () => {
  await adminAgent(rounds); // tenant A (the sandbox's) exists
  const { issuer, clientId, deploymentId } = rounds.sandbox!;
  ownTenantId = String((await TenantModel.findOne({ issuer, clientId, deploymentId }).lean())!._id);
  otherPlatformId = String((await registerPlatform(otherHospital()))._id);
  await TenantModel.create({ issuer, clientId: 'st-lukes-client', deploymentId: 'st-lukes-1' });
  await proposePlatformChange({ ...otherHospital(), jwksUrl: 'https://attacker.example/jwks' });
  otherChangeId = String(
    (await PlatformModel.db.collection('lmsplatformchanges').findOne({ clientId: 'st-lukes-client' }))!._id,
  );
});

/** Every operator page and action, aimed at tenant B's platform where it names one. */
const operatorRequests = () => [
  { method: 'get', path: '/operator/tenants' },
  { method: 'get', path: '/operator/platforms/new' },
  { method: 'get', path: `/operator/platforms/${otherPlatformId}` },
  { method: 'get', path: `/operator/platforms/${otherPlatformId}/remove` },
  {
    method: 'post',
    path: '/operator/platforms',
    body: { ...otherHospital(), clientId: 'sneaky', deploymentId: 'x' },
  },
  { method: 'post', path: `/operator/platforms/${otherPlatformId}/remove` },
  { method: 'post', path: `/operator/platforms/${otherPlatformId}/active`, body: { active: 'no' } },
  {
    method: 'post',
    path: `/operator/platforms/${otherPlatformId}/endpoints`,
    body: { ...otherHospital(), jwksUrl: 'https://attacker.example/jwks' },
  },
  {
    method: 'post',
    path: `/operator/platforms/${otherPlatformId}/deployments`,
    body: { deploymentId: 'mine' },
  },
  {
    method: 'post',
    path: `/operator/platforms/${otherPlatformId}/deployments/remove`,
    body: { deploymentId: 'st-lukes-1' },
  },
  {
    method: 'post',
    path: `/operator/proposals/${otherChangeId}`,
    body: { decision: 'approve', proposedAt: new Date().toISOString() },
  },
];

/**
 * Sends every operator request as `agent` (with the agent's own valid CSRF token); expects `status` for each, and
 * names the request that answered otherwise.
 */
async function expectEveryOperatorRequest(agent: Agent, csrf: string, status: number): Promise<void> {
  const answers: string[] = [];
  for (const { method, path, body } of operatorRequests()) {
    const call =
      method === 'get'
        ? agent.get(path)
        : agent
            .post(path)
            .type('form')
            .send({ _csrf: csrf, ...body });
    answers.push(`${method} ${path} → ${(await call.set('Accept', 'text/html')).status}`);
  }
  expect(answers).toEqual(operatorRequests().map(({ method, path }) => `${method} ${path} → ${status}`));
}

/** Tenant B's platform is as registered: nothing any refused request sent reached it. */
async function expectOtherPlatformUntouched() {
  const platform = (await PlatformModel.findById(otherPlatformId).lean())!;
  expect(platform).toMatchObject({
    active: true,
    jwksUrl: otherHospital().jwksUrl,
    deploymentIds: ['st-lukes-1'],
  });
  expect(await PlatformModel.exists({ clientId: 'sneaky' })).toBeNull();
}

describe('an LTI session never reaches the operator’s pages', () => {
  it('when nobody is signed in, then every operator page and action answers 401', async () => {
    const anonymous = request.agent(rounds.url);
    await expectEveryOperatorRequest(anonymous, 'none', 401);
  });

  it('when an LTI learner tries every operator page and action, then 403 and nothing changes', async () => {
    const { agent, launch } = await signedInAs(rounds, 'physician');
    const home = await agent.get(launch.headers.location!).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.text)?.[1] ?? '';
    await expectEveryOperatorRequest(agent, csrf, 403);
    await expectOtherPlatformUntouched();
  });

  it('when an LMS administrator tries them with a valid form token, then 403 and nothing changes', async () => {
    const admin = await adminAgent(rounds);
    const { csrf } = await openForm(admin, '/admin/platforms');
    await expectEveryOperatorRequest(admin, csrf, 403);
    await expectOtherPlatformUntouched();
  });

  it('when an LMS administrator opens /admin/platforms, then it is still their own tenant’s view only', async () => {
    const page = decodeHtml((await (await adminAgent(rounds)).get('/admin/platforms').expect(200)).text);
    expect(page).toContain('<h1>Your LMS platform</h1>');
    expect(page).not.toContain('st-lukes');
    expect(page).not.toContain('attacker.example');
  });
});

describe('a Rounds account that is not an operator', () => {
  it('when a tenant admin of tenant A tries tenant B’s platform through the operator actions, then 403; their own view shows A only', async () => {
    const { agent } = await signInAccount(rounds, {
      roles: [{ role: 'tenant-admin', tenantId: ownTenantId }],
    });
    const page = decodeHtml((await agent.get('/admin/platforms').expect(200)).text);
    expect(page).toContain('Rounds Sandbox LMS');
    expect(page).not.toContain('st-lukes');
    const { csrf } = await openForm(agent, '/admin/platforms');
    await expectEveryOperatorRequest(agent, csrf, 403);
    // The tenant view's own deployment form acts on tenant A's platform only: B's deployment is not there.
    await agent
      .post('/admin/platforms/deployments/remove')
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: csrf, deploymentId: 'st-lukes-1' })
      .expect(404);
    await expectOtherPlatformUntouched();
  });

  it('when a CME admin account of tenant A tries them, then 403 as well', async () => {
    const { agent } = await signInAccount(rounds, {
      roles: [{ role: 'cme-admin', tenantId: ownTenantId }],
      totp: true,
    });
    const csrf = (await agent.get('/account').expect(200)).text.match(/name="_csrf" value="([^"]+)"/)![1]!;
    await expectEveryOperatorRequest(agent, csrf, 403);
    await expectOtherPlatformUntouched();
  });
});

describe('an operator without a checked second factor', () => {
  it('when an operator who has not enrolled TOTP opens the operator pages or posts, then every one sends them to enrol', async () => {
    const { agent } = await signInAccount(rounds, { roles: ['operator'] });
    for (const path of ['/admin/platforms', '/operator/tenants', '/operator/platforms/new']) {
      const answer = await agent.get(path).set('Accept', 'text/html');
      expect([path, answer.status, answer.headers.location]).toEqual([path, 303, '/account/totp']);
    }
    const csrf = (await agent.get('/account').expect(200)).text.match(/name="_csrf" value="([^"]+)"/)![1]!;
    const posted = await agent
      .post(`/operator/platforms/${otherPlatformId}/remove`)
      .type('form')
      .send({ _csrf: csrf });
    expect([posted.status, posted.headers.location]).toEqual([303, '/account/totp']);
    await expectOtherPlatformUntouched();
  });
});
