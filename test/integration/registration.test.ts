import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { PlatformModel } from '../../src/lti/platform.model';
import { requestedClaims, requestedScopes } from '../../src/lti/registration.service';
import type { Rounds } from '../../src/runtime';
import { SandboxToolRegistration } from '../../src/sandbox/sandbox.registration.model';
import { followLogin, pathOf, readLaunchForm } from '../support/launch';
import { adminAgent, attributeOf, csrfTokenOf } from '../support/pages';
import { startTestRounds } from '../support/rounds';

// LTI Dynamic Registration end to end over HTTP: the sandbox LMS's "Register a tool by URL" opens Rounds'
// /lti/register with its OpenID configuration and a registration token, Rounds registers itself there and stores
// the platform inactive; an admin activates it on /admin/platforms; then the new registration launches.

let rounds: Rounds;
let stub: Server | undefined;
let stubRegistrations = 0;

beforeAll(async () => {
  rounds = await startTestRounds();
});

afterAll(async () => {
  stub?.closeAllConnections();
  await new Promise((resolve) => (stub ? stub.close(resolve) : resolve(undefined)));
  await rounds.close();
});

/** Starts the sandbox's "Add tool by URL" for Rounds and returns the URL it frames (Rounds' /lti/register?…). */
async function startRegistrationInSandbox(agent = request.agent(rounds.url)) {
  const page = await agent
    .post('/sandbox/tools')
    .type('form')
    .send({ registrationUrl: `${rounds.url}/lti/register` })
    .expect(200);
  const frameUrl = attributeOf(page.text, 'iframe', 'src');
  expect(frameUrl).toBeDefined();
  return new URL(frameUrl!);
}

/** A platform of our own on another port whose OpenID configuration names someone else as its issuer. */
async function startMismatchedPlatform(): Promise<string> {
  const app = express();
  app.get('/lms/openid-configuration', (req, res) => {
    const origin = `http://${req.headers.host}`;
    res.json({
      issuer: 'https://lms.example.org',
      authorization_endpoint: `${origin}/lms/auth`,
      token_endpoint: `${origin}/lms/token`,
      jwks_uri: `${origin}/lms/jwks`,
      registration_endpoint: `${origin}/lms/register`,
    });
  });
  app.post('/lms/register', (_req, res) => {
    stubRegistrations += 1;
    res.status(500).end();
  });
  stub = createServer(app);
  await new Promise<void>((resolve) => stub!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(stub!.address() as AddressInfo).port}/lms/openid-configuration`;
}

describe('Dynamic Registration from the sandbox LMS', () => {
  it('when an LMS administrator registers Rounds by URL, then Rounds registers itself there and stores the platform inactive with the deployment it was given', async () => {
    const agent = request.agent(rounds.url);
    const frameUrl = await startRegistrationInSandbox(agent);
    expect(frameUrl.origin + frameUrl.pathname).toBe(`${rounds.url}/lti/register`);
    expect(frameUrl.searchParams.get('openid_configuration')).toBe(
      `${rounds.sandbox!.issuer}/openid-configuration`,
    );

    const registered = await agent.get(pathOf(frameUrl.toString())).set('Accept', 'text/html').expect(200);
    expect(registered.text).toContain('Rounds is registered with your LMS');
    expect(registered.text).toContain('a Rounds administrator must activate it');
    expect(registered.text).toContain('src="/static/lti-registration.js"');
    expect(registered.headers['content-security-policy']).toMatch(
      /frame-ancestors [^;]*http:\/\/127\.0\.0\.1:/,
    );

    const tool = await SandboxToolRegistration.findOne({ issuer: rounds.sandbox!.issuer })
      .sort({ createdAt: -1 })
      .lean();
    expect(tool).toMatchObject({
      clientName: 'Rounds',
      initiateLoginUri: `${rounds.url}/lti/login`,
      redirectUris: [`${rounds.url}/lti/launch`, `${rounds.url}/lti/deeplink`],
      jwksUri: `${rounds.url}/lti/keys`,
      targetLinkUri: `${rounds.url}/lti/launch`,
      deepLinkUri: `${rounds.url}/lti/deeplink`,
      scopes: requestedScopes,
      claims: requestedClaims,
    });
    const platform = await PlatformModel.findOne({
      issuer: rounds.sandbox!.issuer,
      clientId: tool!.clientId,
    }).lean();
    expect(platform).toMatchObject({
      active: false,
      deploymentIds: [tool!.deploymentId],
      authUrl: `${rounds.sandbox!.issuer}/tools/auth`,
      tokenUrl: `${rounds.sandbox!.issuer}/token`,
      jwksUrl: `${rounds.sandbox!.issuer}/jwks.json`,
    });
    expect(registered.text).toContain(tool!.clientId);

    const tools = await agent.get('/sandbox/tools').expect(200);
    expect(tools.text).toContain(tool!.clientId);
  });

  it('when the same registration link is opened twice, then the LMS refuses the spent token and Rounds says so', async () => {
    const frameUrl = await startRegistrationInSandbox();
    await request(rounds.url).get(pathOf(frameUrl.toString())).expect(200);
    const before = await PlatformModel.countDocuments();
    const again = await request(rounds.url).get(pathOf(frameUrl.toString())).set('Accept', 'text/html');
    expect(again.status).toBe(502);
    expect(again.text).toContain('registration endpoint answered 401');
    expect(await PlatformModel.countDocuments()).toBe(before);
  });

  it('when the registration arrives without a registration_token, then it is refused with 400 and nothing is stored', async () => {
    const frameUrl = await startRegistrationInSandbox();
    frameUrl.searchParams.delete('registration_token');
    const before = await PlatformModel.countDocuments();
    const response = await request(rounds.url).get(pathOf(frameUrl.toString())).set('Accept', 'text/html');
    expect(response.status).toBe(400);
    expect(response.text).toContain('registration_token is missing');
    expect(await PlatformModel.countDocuments()).toBe(before);
  });

  it('when the OpenID configuration names an issuer its URL does not start with, then it is refused and Rounds never registers there', async () => {
    const configurationUrl = await startMismatchedPlatform();
    const before = await PlatformModel.countDocuments();
    const response = await request(rounds.url)
      .get('/lti/register')
      .query({ openid_configuration: configurationUrl, registration_token: 'token-1' })
      .set('Accept', 'text/html');
    expect(response.status).toBe(400);
    expect(response.text).toContain('names the issuer https://lms.example.org');
    expect(stubRegistrations).toBe(0);
    expect(await PlatformModel.countDocuments()).toBe(before);
  });

  it('when the platform is inactive, then its launches are refused; once an admin activates it on the platforms page, they land on home', async () => {
    const frameUrl = await startRegistrationInSandbox();
    await request(rounds.url).get(pathOf(frameUrl.toString())).expect(200);
    const tool = (await SandboxToolRegistration.findOne({ issuer: rounds.sandbox!.issuer })
      .sort({ createdAt: -1 })
      .lean())!;

    // The pharmacist, not the nurse: other test files on this worker's database count the nurse's user records.
    const pharmacist = request.agent(rounds.url);
    const start = await pharmacist.get(`/sandbox/tools/${tool.clientId}/launch/pharmacist`).expect(302);
    const refused = await pharmacist.get(pathOf(start.headers.location!)).set('Accept', 'text/html');
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('not activated yet');

    const admin = await adminAgent(rounds);
    const page = await admin.get('/admin/platforms').expect(200);
    const platform = (await PlatformModel.findOne({ clientId: tool.clientId }).lean())!;
    expect(page.text).toContain(tool.clientId);
    const activated = await admin
      .post(`/admin/platforms/${String(platform._id)}/activate`)
      .type('form')
      .send({ _csrf: csrfTokenOf(page.text) })
      .expect(303);
    expect(activated.headers.location).toBe('/admin/platforms?done=activated');

    const again = await pharmacist.get(`/sandbox/tools/${tool.clientId}/launch/pharmacist`).expect(302);
    const auth = await followLogin(pharmacist, again.headers.location!);
    const form = readLaunchForm(auth.text);
    const launch = await pharmacist.post(pathOf(form.action)).type('form').send(form.fields);
    expect(launch.status).toBe(303);
    expect(launch.headers.location).toBe('/home');
    expect((await pharmacist.get('/home').expect(200)).text).toContain('Welcome, Marcus');
  });
});
