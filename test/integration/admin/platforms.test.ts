import request from 'supertest';
import { PlatformModel } from '../../../src/lti/registration/platform.model';
import {
  changeDeployments,
  registerPlatform,
  removePlatform,
  TenantReuseError,
} from '../../../src/lti/registration/platform.service';
import { TenantModel } from '../../../src/tenancy/tenant.model';
import {
  adminAgent,
  craftLaunch,
  decodeHtml,
  launchAs,
  openForm,
  postLaunch,
  throughRegistration,
  useTestRounds,
  type Agent,
} from '../../support';

const rounds = useTestRounds();
let admin: Agent;

/** A second hospital on the same installation: its own registration (client ID) of an LMS, its own deployment. */
const otherHospital = () => ({
  ...rounds.sandbox!.registration,
  clientId: 'st-lukes-client',
  deploymentIds: ['st-lukes-1'],
  name: 'St. Luke’s Moodle',
});

beforeAll(async () => {
  admin = await adminAgent(rounds);
  await registerPlatform(otherHospital());
});

/** An administrator of the other hospital, launched through its own registration (signed by the same LMS keys). */
async function otherHospitalAdmin(): Promise<Agent> {
  const other = otherHospital();
  const { agent, fields } = await craftLaunch(rounds, {
    person: 'cmeAdmin',
    initiation: (url) => {
      url.searchParams.set('client_id', other.clientId);
      url.searchParams.set('lti_deployment_id', other.deploymentIds[0]!);
    },
    claims: (claims) => throughRegistration(claims, other),
  });
  await postLaunch(agent, fields).expect(303);
  return agent;
}

async function csrf(agent: Agent = admin): Promise<string> {
  return (await openForm(agent, '/admin/platforms')).csrf;
}

/** The sandbox's platform as stored. */
async function sandboxPlatform() {
  return (await PlatformModel.findOne({
    issuer: rounds.sandbox!.issuer,
    clientId: rounds.sandbox!.clientId,
  }).lean())!;
}

describe('who may open /admin/platforms', () => {
  it('when someone without a session opens it, then 401; a mentor or a learner gets 403', async () => {
    await request(rounds.url).get('/admin/platforms').set('Accept', 'text/html').expect(401);
    for (const person of ['mentor', 'physician'] as const) {
      const { agent } = await launchAs(rounds, person);
      const response = await agent.get('/admin/platforms').set('Accept', 'text/html');
      expect(response.status).toBe(403);
    }
  });

  it('when an admin opens it, then it shows their own LMS with its endpoints and deployment, and no other hospital’s', async () => {
    const page = decodeHtml((await admin.get('/admin/platforms').expect(200)).text);
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page).toContain('Rounds Sandbox LMS');
    expect(page).toContain(rounds.sandbox!.clientId);
    expect(page).toContain(rounds.sandbox!.registration.jwksUrl);
    expect(page).toContain(rounds.sandbox!.deploymentId);
    expect(page).not.toContain(otherHospital().clientId);
    expect(page).not.toContain('st-lukes-1');
  });
});

describe('an LMS admin cannot touch another tenant’s platform (the review’s attack)', () => {
  it('when one hospital’s admin tries the old remove, add, activate and deployment routes, then none exists or reaches the other platform', async () => {
    const attacker = await otherHospitalAdmin();
    const _csrf = await csrf(attacker);
    const before = await sandboxPlatform();
    const id = String(before._id);
    for (const path of [`/admin/platforms/${id}/remove`, `/admin/platforms/${id}/deactivate`]) {
      const response = await attacker.post(path).type('form').set('Accept', 'text/html').send({ _csrf });
      expect(response.status).toBe(404);
    }
    const readd = await attacker
      .post('/admin/platforms')
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf, ...rounds.sandbox!.registration, jwksUrl: 'https://attacker.example/jwks' });
    expect(readd.status).toBe(404);
    // Deployment changes act on the attacker's own platform, whatever is sent.
    await attacker
      .post('/admin/platforms/deployments/remove')
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf, deploymentId: rounds.sandbox!.deploymentId })
      .expect(404);
    const after = (await PlatformModel.findById(id).lean())!;
    expect(after).toMatchObject({
      active: true,
      jwksUrl: before.jwksUrl,
      deploymentIds: before.deploymentIds,
    });
  });

  it('when an operator removes a platform and adds it again, then its tenant is not reused unless named', async () => {
    const other = otherHospital();
    await otherHospitalAdmin(); // the tenant exists now
    const tenant = (await TenantModel.findOne({ clientId: other.clientId }).lean())!;
    await removePlatform(other.issuer, other.clientId);
    const rekeyed = { ...other, jwksUrl: 'https://attacker.example/jwks' };
    const refused = await registerPlatform(rekeyed).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TenantReuseError);
    expect((refused as TenantReuseError).message).toContain(String(tenant._id));
    expect(await PlatformModel.exists({ clientId: other.clientId })).toBeNull();

    await registerPlatform(other, { reuseTenants: [String(tenant._id)] });
    expect(await PlatformModel.exists({ clientId: other.clientId })).toBeTruthy();
  });
});

describe('an admin manages their own deployments', () => {
  it('when the admin adds an empty deployment ID, then that field shows the error and keeps the page', async () => {
    const empty = await admin
      .post('/admin/platforms/deployments')
      .type('form')
      .send({ _csrf: await csrf(), deploymentId: ' ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('<a href="#deployment-id">Enter the deployment ID.</a>');
    expect(empty.text).toContain('aria-describedby="deployment-id-hint deployment-id-error"');
  });

  it('when the form is posted without its CSRF token, then 403 and nothing changes', async () => {
    const response = await admin
      .post('/admin/platforms/deployments')
      .type('form')
      .set('Accept', 'text/html')
      .send({ deploymentId: 'no-token' });
    expect(response.status).toBe(403);
    expect((await sandboxPlatform()).deploymentIds).not.toContain('no-token');
  });

  /** Posts the platforms page's deployment form `path` with `deploymentId`, as the admin. */
  async function postDeployment(path: string, deploymentId: string) {
    return admin
      .post(path)
      .type('form')
      .send({ _csrf: await csrf(), deploymentId });
  }

  it('when the admin adds a deployment, then it is stored and the page says it was added', async () => {
    const added = await postDeployment('/admin/platforms/deployments', 'ward-7');
    expect([added.status, added.headers.location]).toEqual([303, '/admin/platforms?done=deployment-added']);
    expect((await sandboxPlatform()).deploymentIds).toContain('ward-7');
    expect(
      decodeHtml((await admin.get('/admin/platforms?done=deployment-added').expect(200)).text),
    ).toContain('The deployment was added.');
  });

  it('when the admin removes a deployment they added, then it is gone', async () => {
    expect((await postDeployment('/admin/platforms/deployments', 'ward-8')).status).toBe(303);
    const removed = await postDeployment('/admin/platforms/deployments/remove', 'ward-8');
    expect([removed.status, removed.headers.location]).toEqual([
      303,
      '/admin/platforms?done=deployment-removed',
    ]);
    expect((await sandboxPlatform()).deploymentIds).not.toContain('ward-8');
  });

  it('when the admin removes the deployment they are signed in through, then 400 and it stays', async () => {
    const own = await postDeployment('/admin/platforms/deployments/remove', rounds.sandbox!.deploymentId);
    expect(own.status).toBe(400);
    expect(own.text).toContain('the deployment you are signed in through');
    expect((await sandboxPlatform()).deploymentIds).toContain(rounds.sandbox!.deploymentId);
  });
});

describe('a registration several organizations launch through (one client ID, a deployment each)', () => {
  it('when another organization has a tenant on the admin’s registration, then its deployment is not listed and neither it nor a new one can be changed', async () => {
    const { issuer, clientId } = rounds.sandbox!;
    await changeDeployments(issuer, clientId, { add: ['county-hospital'] });
    const neighbour = await TenantModel.create({ issuer, clientId, deploymentId: 'county-hospital' });
    try {
      const page = decodeHtml((await admin.get('/admin/platforms').expect(200)).text);
      expect(page).not.toContain('county-hospital');
      expect(page).toContain('the Rounds operator manages its');
      const _csrf = await csrf();
      for (const [path, deploymentId] of [
        ['/admin/platforms/deployments/remove', 'county-hospital'],
        ['/admin/platforms/deployments', 'unapproved-organization'],
      ] as const) {
        const response = await admin
          .post(path)
          .type('form')
          .set('Accept', 'text/html')
          .send({ _csrf, deploymentId });
        expect(response.status).toBe(403);
      }
      expect((await sandboxPlatform()).deploymentIds).toContain('county-hospital');
      expect((await sandboxPlatform()).deploymentIds).not.toContain('unapproved-organization');
    } finally {
      await TenantModel.deleteOne({ _id: neighbour._id });
      await changeDeployments(issuer, clientId, { remove: ['county-hospital'] });
    }
  });
});
