import request from 'supertest';
import { PlatformChangeModel, PlatformModel } from '../../../../src/lti/registration/platform.model';
import {
  decidePlatformChange,
  registerPlatform,
  setPlatformActive,
} from '../../../../src/lti/registration/platform.service';
import {
  registerDynamically,
  requestedClaims,
  requestedScopes,
  RegistrationRefusedError,
} from '../../../../src/lti/registration/registration.service';
import { SandboxToolRegistration } from '../../../../src/sandbox/sandbox.registration.model';
import { sweepExpired } from '../../../../src/shared/sweeper';
import {
  answerJson,
  launchAs,
  openidConfiguration,
  openRegistration,
  pathOf,
  startFarEnd,
  startRegistrationInSandbox,
  useTestRounds,
  type FarEnd,
} from '../../../support';

// LTI Dynamic Registration end to end over HTTP: the sandbox LMS's "Register a tool by URL" opens Rounds'
// /lti/register with its OpenID configuration and a registration token, Rounds registers itself there and stores
// the platform inactive; the operator activates it (`npx rounds platform activate`); then the new registration
// launches. A registration never changes a platform that exists: it proposes the change to the operator.

const rounds = useTestRounds();
const stubs: FarEnd[] = [];

afterAll(async () => {
  await Promise.all(stubs.map((stub) => stub.close()));
});

/** An LMS of our own on 127.0.0.1: its OpenID configuration (`configuration(origin)`) and its registration endpoint. */
async function startStubPlatform(
  configuration: (origin: string) => object,
  onRegister: () => object | number,
) {
  const stub: FarEnd = await startFarEnd((req, res) => {
    if (req.method === 'GET') return answerJson(res, configuration(stub.origin));
    const answer = onRegister();
    if (typeof answer === 'number') return res.writeHead(answer).end();
    answerJson(res, answer);
  });
  stubs.push(stub);
  return stub;
}

describe('Dynamic Registration from the sandbox LMS', () => {
  it('when an LMS administrator registers Rounds by URL, then Rounds registers itself there and stores the platform inactive with the deployment it was given', async () => {
    const agent = request.agent(rounds.url);
    const frameUrl = await startRegistrationInSandbox(rounds, agent);
    expect(frameUrl.origin + frameUrl.pathname).toBe(`${rounds.url}/lti/register`);
    expect(frameUrl.searchParams.get('openid_configuration')).toBe(
      `${rounds.sandbox!.issuer}/openid-configuration`,
    );

    const registered = await agent.get(pathOf(frameUrl.toString())).set('Accept', 'text/html').expect(200);
    expect(registered.text).toContain('Rounds is registered with your LMS');
    expect(registered.text).toContain('the Rounds operator must activate it');
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

  it.each([
    [
      'the same registration link is opened a second time (the LMS refuses the spent token)',
      502,
      'registration endpoint answered 401',
      async (frameUrl: URL) => void (await request(rounds.url).get(pathOf(frameUrl.toString())).expect(200)),
    ],
    [
      'the registration arrives without a registration_token',
      400,
      'registration_token is missing',
      async (frameUrl: URL) => frameUrl.searchParams.delete('registration_token'),
    ],
  ])(
    'when %s, then Rounds refuses (%d), says why and stores nothing',
    async (_what, status, reason, before) => {
      const frameUrl = await startRegistrationInSandbox(rounds);
      await before(frameUrl);
      const platforms = await PlatformModel.countDocuments();
      const response = await request(rounds.url).get(pathOf(frameUrl.toString())).set('Accept', 'text/html');
      expect(response.status).toBe(status);
      expect(response.text).toContain(reason);
      expect(await PlatformModel.countDocuments()).toBe(platforms);
    },
  );

  it('when the OpenID configuration names an issuer its URL does not start with, then it is refused and Rounds never registers there', async () => {
    // A platform of our own on another port whose OpenID configuration names someone else as its issuer.
    const stub = await startStubPlatform(
      (origin) => openidConfiguration('https://lms.example.org', origin),
      () => 500,
    );
    const before = await PlatformModel.countDocuments();
    const response = await openRegistration(rounds, `${stub.origin}/openid-configuration`);
    expect(response.status).toBe(400);
    expect(response.text).toContain('names the issuer https://lms.example.org');
    expect(stub.hits).toEqual(['/openid-configuration']);
    expect(await PlatformModel.countDocuments()).toBe(before);
  });

  it('when the platform is inactive, then its launches are refused; once the operator activates it, they land on home', async () => {
    const frameUrl = await startRegistrationInSandbox(rounds);
    await request(rounds.url).get(pathOf(frameUrl.toString())).expect(200);
    const tool = (await SandboxToolRegistration.findOne({ issuer: rounds.sandbox!.issuer })
      .sort({ createdAt: -1 })
      .lean())!;

    const pharmacist = request.agent(rounds.url);
    const start = await pharmacist.get(`/sandbox/tools/${tool.clientId}/launch/pharmacist`).expect(302);
    const refused = await pharmacist.get(pathOf(start.headers.location!)).set('Accept', 'text/html');
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('not activated yet');

    // The operator's step (the CLI calls the same service).
    expect(await setPlatformActive(rounds.sandbox!.issuer, tool.clientId, true)).toBe(true);
    expect((await PlatformModel.findOne({ clientId: tool.clientId }).lean())!.approvedAt).toBeInstanceOf(
      Date,
    );

    const { launch } = await launchAs(rounds, 'pharmacist', {
      agent: pharmacist,
      toolClientId: tool.clientId,
    });
    expect(launch.status).toBe(303);
    expect(launch.headers.location).toBe('/home');
    expect((await pharmacist.get('/home').expect(200)).text).toContain('Welcome, Marcus');
  });
});

/** An LMS of our own whose registration endpoint answers with a client ID Rounds already has ("update"). */
async function startUpdatingPlatform(clientId: string) {
  const stub = await startStubPlatform(
    (origin) => openidConfiguration(origin, origin, '-new'),
    () => ({
      client_id: clientId,
      'https://purl.imsglobal.org/spec/lti-tool-configuration': { deployment_id: 'added-by-update' },
    }),
  );
  return { issuer: stub.origin, configurationUrl: `${stub.origin}/openid-configuration` };
}

describe('a registration never changes a registered platform', () => {
  it('when an LMS re-registers an active platform with new endpoints, then the platform is untouched and the change waits for the operator, who sees both and approves', async () => {
    const { issuer, configurationUrl } = await startUpdatingPlatform('updated-client');
    const current = {
      issuer,
      clientId: 'updated-client',
      deploymentIds: ['1'],
      name: 'The admin’s own name',
      authUrl: `${issuer}/auth`,
      tokenUrl: `${issuer}/token`,
      jwksUrl: `${issuer}/jwks`,
    };
    await registerPlatform(current);

    const page = await openRegistration(rounds, configurationUrl, 'update-token').expect(200);
    expect(page.text).toContain('the Rounds operator must approve the change');
    expect(await PlatformModel.findOne({ issuer }).lean()).toMatchObject({
      ...current,
      active: true,
    });
    expect(await PlatformChangeModel.findOne({ issuer }).lean()).toMatchObject({
      jwksUrl: `${issuer}/jwks-new`,
      deploymentIds: ['added-by-update'],
    });

    expect(await decidePlatformChange(issuer, 'updated-client', true)).toBe(true);
    expect(await PlatformModel.findOne({ issuer }).lean()).toMatchObject({
      name: 'The admin’s own name',
      jwksUrl: `${issuer}/jwks-new`,
      deploymentIds: ['1', 'added-by-update'],
    });
    expect(await PlatformChangeModel.exists({ issuer })).toBeNull();
  });

  it('when as many registrations wait as allowed, then the next is refused (503) before Rounds calls the LMS', async () => {
    const before = await PlatformModel.countDocuments();
    const refused = await registerDynamically(
      { ...rounds.config, maxPendingRegistrations: 0 },
      { openid_configuration: 'http://127.0.0.1:9/openid-configuration', registration_token: 'x' },
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RegistrationRefusedError);
    expect((refused as RegistrationRefusedError).status).toBe(503);
    expect(await PlatformModel.countDocuments()).toBe(before);
  });

  it('when a registration is not approved within 7 days, then it is removed; approved and younger ones stay', async () => {
    const registration = (clientId: string) => ({
      issuer: 'https://stale.example',
      clientId,
      deploymentIds: ['1'],
      name: clientId,
      authUrl: 'https://stale.example/auth',
      tokenUrl: 'https://stale.example/token',
      jwksUrl: 'https://stale.example/jwks',
    });
    await registerPlatform(registration('stale'), { registeredBy: 'dynamic-registration' });
    await registerPlatform(registration('young'), { registeredBy: 'dynamic-registration' });
    await registerPlatform(registration('approved'), { registeredBy: 'dynamic-registration' });
    await setPlatformActive('https://stale.example', 'approved', true);
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600_000);
    await PlatformModel.collection.updateMany(
      { clientId: { $in: ['stale', 'approved'] } },
      { $set: { createdAt: eightDaysAgo } },
    );

    // The sweeper's step, as every Rounds runs it.
    await sweepExpired(new Date(), rounds.config.pendingRegistrationDays);
    const left = await PlatformModel.find({ issuer: 'https://stale.example' }).lean();
    expect(left.map((platform) => platform.clientId).sort()).toEqual(['approved', 'young']);
  });
});
