import { randomUUID } from 'node:crypto';
import { SignJWT, createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import pino from 'pino';
import request from 'supertest';
import { createSandbox } from '../../../src/sandbox/sandbox';
import { decodeHtml as decoded, hiddenFields, useSandboxHarness } from '../../support';

// Launch side of the sandbox LMS: course page, OIDC authorization, deep linking (services: sandbox.services.test.ts).
// The platform under test is real; the other side is a stub *tool* (see useSandboxHarness).
const lti = 'https://purl.imsglobal.org/spec/lti/claim/';
const dl = 'https://purl.imsglobal.org/spec/lti-dl/claim/';
const harness = useSandboxHarness();

/** The query a tool's OIDC login sends the browser to the platform with (Security Framework §5.1.1.2). */
function authQuery(overrides: Record<string, string> = {}) {
  return {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: harness.sandbox.clientId,
    redirect_uri: `${harness.url}/tool/launch`,
    login_hint: '3',
    lti_message_hint: '11',
    nonce: randomUUID(),
    state: 'state-123',
    ...overrides,
  };
}

const hiddenInput = (html: string, name: string): string | undefined => hiddenFields(html)[name];

describe('the sandbox course page', () => {
  it('when a developer opens it, then it lists the five demo people with launch links', async () => {
    const page = await request(harness.url).get('/sandbox/').expect(200);
    expect(page.text).toContain('Sandbox LMS — for development and testing');
    expect(page.text.match(/<h1[ >]/g)).toHaveLength(1);
    for (const person of harness.sandbox.people) {
      expect(page.text).toContain(`href="/sandbox/launch/${person.key}">Launch as ${person.name}</a>`);
    }
    const deepLinkButtons = decoded(page.text).match(
      /href="\/sandbox\/launch\/(\w+)\?message_type=LtiDeepLinkingRequest"/g,
    );
    expect(deepLinkButtons).toEqual([
      'href="/sandbox/launch/mentor?message_type=LtiDeepLinkingRequest"',
      'href="/sandbox/launch/cmeAdmin?message_type=LtiDeepLinkingRequest"',
    ]);
    expect(page.text).toContain('href="/sandbox/gradebook"');
  });

  it('when "Launch as" is followed, then it redirects to the tool login initiation with the LTI parameters', async () => {
    const response = await request(harness.url).get('/sandbox/launch/nurse').expect(302);
    const location = new URL(response.headers.location!);
    expect(`${location.origin}${location.pathname}`).toBe(`${harness.url}/tool/login`);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      iss: harness.sandbox.issuer,
      login_hint: '3',
      target_link_uri: `${harness.url}/tool/launch`,
      lti_message_hint: '11',
      client_id: 'rounds-sandbox-client',
      lti_deployment_id: 'sandbox-deployment-1',
    });
    await request(harness.url).get('/sandbox/launch/surgeon').expect(404);
  });
});

describe('the OIDC authorization endpoint', () => {
  it('when redirect_uri is not the tool’s, then it answers 400 naming it and redirects nowhere', async () => {
    const response = await request(harness.url)
      .get('/sandbox/auth')
      .query(authQuery({ redirect_uri: 'https://evil.example/x' }));
    expect(response.status).toBe(400);
    expect(response.headers.location).toBeUndefined();
    expect(response.text).toContain('<code>redirect_uri</code>');
    expect(response.text).not.toContain('evil.example');
  });

  it('when login_hint names nobody in the course, then it answers 400 naming it', async () => {
    const response = await request(harness.url)
      .get('/sandbox/auth')
      .query(authQuery({ login_hint: '999' }));
    expect(response.status).toBe(400);
    expect(response.text).toContain('<code>login_hint</code>');
  });

  it('when the request is valid, then it posts an id_token that verifies against the platform JWKS', async () => {
    const query = authQuery({ login_hint: '6' });
    const response = await request(harness.url).post('/sandbox/auth').type('form').send(query).expect(200);
    expect(response.text).toContain(`action="${harness.url}/tool/launch"`);
    expect(response.text).toContain('<script src="/sandbox/static/autosubmit.js"></script>');
    expect(response.text).toMatch(/<noscript>[\s\S]*Continue to Rounds[\s\S]*<\/noscript>/);
    expect(hiddenInput(response.text, 'state')).toBe('state-123');

    const jwks = createRemoteJWKSet(new URL(harness.sandbox.registration.jwksUrl));
    const { payload, protectedHeader } = await jwtVerify(hiddenInput(response.text, 'id_token')!, jwks, {
      issuer: harness.sandbox.issuer,
      audience: 'rounds-sandbox-client',
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      sub: '6',
      nonce: query.nonce,
      azp: 'rounds-sandbox-client',
      given_name: 'Elena',
      [`${lti}message_type`]: 'LtiResourceLinkRequest',
      [`${lti}version`]: '1.3.0',
      [`${lti}deployment_id`]: 'sandbox-deployment-1',
      [`${lti}resource_link`]: { id: '11', title: 'Rounds' },
      [`${lti}roles`]: [
        'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
        'http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor',
      ],
      [`${lti}context`]: { id: '7', label: 'WELL-101' },
      'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': {
        lineitems: `${harness.sandbox.issuer}/ags/contexts/7/lineitems?type_id=1`,
      },
      'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice': { service_versions: ['2.0'] },
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);
    await request(harness.url)
      .get('/sandbox/static/autosubmit.js')
      .expect('Content-Type', /javascript/)
      .expect(200);
  });

  it('when a learner asks for deep linking, then it is refused; a mentor gets the settings claim', async () => {
    const refused = await request(harness.url)
      .get('/sandbox/auth')
      .query(authQuery({ lti_message_hint: 'deeplink' }));
    expect(refused.status).toBe(400);
    const deepLinkUrl = `${harness.url}/tool/deeplink`;
    const query = authQuery({ login_hint: '6', lti_message_hint: 'deeplink', redirect_uri: deepLinkUrl });
    const response = await request(harness.url).get('/sandbox/auth').query(query).expect(200);
    const claims = decodeJwt(hiddenInput(response.text, 'id_token')!);
    expect(claims[`${lti}message_type`]).toBe('LtiDeepLinkingRequest');
    expect(claims[`${lti}target_link_uri`]).toBe(deepLinkUrl);
    expect(claims[`${dl}deep_linking_settings`]).toMatchObject({
      deep_link_return_url: `${harness.sandbox.issuer}/deeplink/return`,
      accept_types: ['ltiResourceLink'],
      accept_multiple: true,
    });
  });
});

describe('deep linking back into the course', () => {
  it('when the tool returns a content item, then the course lists it and its launch carries its custom claim', async () => {
    const query = authQuery({
      login_hint: '6',
      lti_message_hint: 'deeplink',
      redirect_uri: `${harness.url}/tool/deeplink`,
    });
    const request_ = await request(harness.url).get('/sandbox/auth').query(query).expect(200);
    const settings = decodeJwt(hiddenInput(request_.text, 'id_token')!)[`${dl}deep_linking_settings`] as {
      data: string;
    };
    const response = await new SignJWT({
      nonce: randomUUID(),
      [`${lti}message_type`]: 'LtiDeepLinkingResponse',
      [`${lti}version`]: '1.3.0',
      [`${lti}deployment_id`]: harness.sandbox.deploymentId,
      [`${dl}data`]: settings.data,
      [`${dl}content_items`]: [
        {
          type: 'ltiResourceLink',
          title: 'Box breathing',
          custom: { 'module-id': 'box' },
          lineItem: { scoreMaximum: 5 },
        },
      ],
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'tool-1' })
      .setIssuer(harness.sandbox.clientId)
      .setAudience(harness.sandbox.issuer)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(harness.toolKey);
    const returned = await request(harness.url)
      .post('/sandbox/deeplink/return')
      .type('form')
      .send({ JWT: response });
    expect(returned.status).toBe(303);
    const replay = await request(harness.url)
      .post('/sandbox/deeplink/return')
      .type('form')
      .send({ JWT: response });
    expect(replay.status).toBe(400);

    const course = await request(harness.url).get(`/sandbox/?placed=1`).expect(200);
    expect(course.text).toContain('1 activity was added to the course.');
    const linkId = /resource_link_id=(\d+)">Launch “Box breathing” as Nora Okafor, RN/.exec(
      decoded(course.text),
    )?.[1];
    expect(linkId).toBeDefined();
    const launch = await request(harness.url)
      .get('/sandbox/auth')
      .query(authQuery({ lti_message_hint: linkId! }))
      .expect(200);
    const claims = decodeJwt(hiddenInput(launch.text, 'id_token')!);
    expect(claims[`${lti}resource_link`]).toEqual({ id: linkId, title: 'Box breathing' });
    expect(claims[`${lti}custom`]).toEqual({ profession: 'nurse', module_id: 'box' });
    expect(claims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint']).toHaveProperty('lineitem');
  });
});

describe('restarting the sandbox', () => {
  it('when created again on the same database, then it keeps its signing key id', async () => {
    const again = await createSandbox({
      publicUrl: harness.url,
      logger: pino({ level: 'silent' }),
      tool: harness.tool,
    });
    const token = await again.signIdToken({ sub: '3' });
    const jwks = await request(harness.url).get('/sandbox/jwks.json').expect(200);
    expect(jwks.body.keys[0].kid).toBe(
      JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid,
    );
  });
});
