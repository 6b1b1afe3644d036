import request from 'supertest';
import { PlatformModel } from '../../src/lti/platform.model';
import type { Rounds } from '../../src/runtime';
import { launchAs, type Agent } from '../support/launch';
import { adminAgent, csrfTokenOf, decodeHtml } from '../support/pages';
import { startTestRounds } from '../support/rounds';

let rounds: Rounds;
let admin: Agent;

beforeAll(async () => {
  rounds = await startTestRounds();
  admin = await adminAgent(rounds);
});

afterAll(async () => {
  await rounds.close();
});

const moodle = {
  name: 'St. Luke’s Moodle',
  issuer: 'https://moodle.stlukes.example',
  clientId: 'AbC123xyz',
  deploymentId: '4',
  authUrl: 'https://moodle.stlukes.example/mod/lti/auth.php',
  tokenUrl: 'https://moodle.stlukes.example/mod/lti/token.php',
  jwksUrl: 'https://moodle.stlukes.example/mod/lti/certs.php',
};

async function csrf(agent: Agent = admin): Promise<string> {
  return csrfTokenOf((await agent.get('/admin/platforms').expect(200)).text);
}

async function addPlatform(fields: Record<string, string>) {
  return admin
    .post('/admin/platforms')
    .type('form')
    .set('Accept', 'text/html')
    .send({ _csrf: await csrf(), ...fields });
}

async function platformId(clientId: string): Promise<string> {
  return String((await PlatformModel.findOne({ clientId }).lean())!._id);
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

  it('when an admin opens it, then it lists the sandbox LMS with its issuer, client ID, deployment and status', async () => {
    const page = await admin.get('/admin/platforms').expect(200);
    expect(page.text.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page.text).toContain('Rounds Sandbox LMS');
    expect(page.text).toContain(rounds.sandbox!.issuer);
    expect(page.text).toContain(rounds.sandbox!.clientId);
    expect(page.text).toContain(rounds.sandbox!.deploymentId);
    expect(page.text).toMatch(/status--active">Active</);
  });
});

describe('adding a platform', () => {
  it('when fields are missing or URLs are not http(s), then the form comes back (400) with a linked error summary, field errors and what was typed', async () => {
    const response = await addPlatform({
      ...moodle,
      clientId: '  ',
      issuer: 'moodle.stlukes.example',
      tokenUrl: '',
    });
    expect(response.status).toBe(400);
    const html = decodeHtml(response.text);
    expect(html).toContain('<title>Error: LMS platforms · Rounds</title>');
    expect(html).toContain('There is a problem');
    expect(html).toContain(
      '<a href="#platform-issuer">Enter the issuer (Platform ID) as a URL starting with https:// or http://.</a>',
    );
    expect(html).toContain('<a href="#platform-clientId">Enter the client ID.</a>');
    expect(html).toContain('<a href="#platform-tokenUrl">Enter the access token URL.</a>');
    expect(html).not.toContain('href="#platform-name"');
    expect(html).toMatch(/id="platform-issuer" name="issuer" type="url" value="moodle\.stlukes\.example"/);
    expect(html).toMatch(/id="platform-name" name="name" type="text" value="St\. Luke’s Moodle"/);
    expect(html).toMatch(/aria-describedby="platform-issuer-hint platform-issuer-error" aria-invalid="true"/);
    expect(await PlatformModel.exists({ issuer: moodle.issuer })).toBeNull();
  });

  it('when the form is posted without its CSRF token, then 403 and nothing is stored', async () => {
    const response = await admin
      .post('/admin/platforms')
      .type('form')
      .set('Accept', 'text/html')
      .send(moodle);
    expect(response.status).toBe(403);
    expect(await PlatformModel.exists({ issuer: moodle.issuer })).toBeNull();
  });

  it('when every field is filled in, then 303 to the list, which shows it active with its deployment; ltijs knows it too', async () => {
    const response = await addPlatform(moodle);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/admin/platforms?done=added');
    const page = decodeHtml((await admin.get(response.headers.location!).expect(200)).text);
    expect(page).toContain('The platform was added.');
    expect(page).toContain('St. Luke’s Moodle');
    expect(await PlatformModel.findOne({ issuer: moodle.issuer }).lean()).toMatchObject({
      clientId: moodle.clientId,
      deploymentIds: ['4'],
      active: true,
      authUrl: moodle.authUrl,
    });
    expect(await rounds.lti.provider.getPlatform(moodle.issuer, moodle.clientId)).toBeTruthy();
  });

  it('when the same issuer and client ID are added again, then the client ID field says it is already registered', async () => {
    const response = await addPlatform({ ...moodle, deploymentId: '5' });
    expect(response.status).toBe(400);
    expect(response.text).toContain('This issuer and client ID are already registered.');
    expect((await PlatformModel.findOne({ issuer: moodle.issuer }).lean())!.deploymentIds).toEqual(['4']);
  });
});

describe('changing a platform', () => {
  it('when the admin deactivates it, then it is inactive (launches refused) until activated again', async () => {
    const id = await platformId(moodle.clientId);
    await admin
      .post(`/admin/platforms/${id}/deactivate`)
      .type('form')
      .send({ _csrf: await csrf() })
      .expect(303);
    expect((await PlatformModel.findById(id).lean())!.active).toBe(false);
    const ltijs = await rounds.lti.provider.getPlatform(moodle.issuer, moodle.clientId);
    expect(ltijs && (await ltijs.platformActive())).toBe(false);
    const page = (await admin.get('/admin/platforms?done=deactivated').expect(200)).text;
    expect(page).toContain('The platform was deactivated.');
    expect(page).toMatch(/status--inactive">Inactive</);

    await admin
      .post(`/admin/platforms/${id}/activate`)
      .type('form')
      .send({ _csrf: await csrf() })
      .expect(303);
    expect((await PlatformModel.findById(id).lean())!.active).toBe(true);
  });

  it('when the admin adds an empty deployment ID, then that field shows the error; a real one is added and can be removed', async () => {
    const id = await platformId(moodle.clientId);
    const empty = await admin
      .post(`/admin/platforms/${id}/deployments`)
      .type('form')
      .send({ _csrf: await csrf(), deploymentId: ' ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain(`<a href="#deployment-${id}">Enter the deployment ID.</a>`);
    expect(empty.text).toContain(`aria-describedby="deployment-${id}-error"`);

    await admin
      .post(`/admin/platforms/${id}/deployments`)
      .type('form')
      .send({ _csrf: await csrf(), deploymentId: '7' })
      .expect(303);
    expect((await PlatformModel.findById(id).lean())!.deploymentIds).toEqual(['4', '7']);

    const removed = await admin
      .post(`/admin/platforms/${id}/deployments/remove`)
      .type('form')
      .send({ _csrf: await csrf(), deploymentId: '4' })
      .expect(303);
    expect(removed.headers.location).toBe('/admin/platforms?done=deployment-removed');
    expect((await PlatformModel.findById(id).lean())!.deploymentIds).toEqual(['7']);
  });

  it('when the admin asks to remove it, then a confirmation page comes first; confirming removes it from Rounds and ltijs', async () => {
    const id = await platformId(moodle.clientId);
    const confirm = await admin.get(`/admin/platforms/${id}/remove`).expect(200);
    expect(decodeHtml(confirm.text)).toContain('<h1>Remove St. Luke’s Moodle?</h1>');
    expect(await PlatformModel.exists({ _id: id })).toBeTruthy();

    const removed = await admin
      .post(`/admin/platforms/${id}/remove`)
      .type('form')
      .send({ _csrf: csrfTokenOf(confirm.text) })
      .expect(303);
    expect(removed.headers.location).toBe('/admin/platforms?done=removed');
    expect(await PlatformModel.exists({ _id: id })).toBeNull();
    expect(await rounds.lti.provider.getPlatform(moodle.issuer, moodle.clientId)).toBe(false);
    await admin.get(`/admin/platforms/${id}/remove`).set('Accept', 'text/html').expect(404);
  });
});
