import { randomUUID } from 'node:crypto';
import { SignJWT, generateKeyPair, type KeyLike } from 'jose';
import request from 'supertest';
import type { Sandbox } from '../../src/sandbox/sandbox';
import { startSandboxWithStubTool, type SandboxHarness } from '../support/sandboxHarness';
// Service side of the sandbox LMS: token endpoint, AGS, NRPS (launch side: sandbox.test.ts).
// The platform under test is real; the other side is a stub *tool*: a key pair whose public half this test app
// serves at /tool/jwks, so the sandbox fetches it over HTTP as it would fetch Rounds' /lti/keys.
const ags = 'https://purl.imsglobal.org/spec/lti-ags/scope/';
const nrpsScope = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';
let url: string;
let sandbox: Sandbox;
let toolKey: KeyLike;
let impostorKey: KeyLike;

let harness: SandboxHarness;

beforeAll(async () => {
  harness = await startSandboxWithStubTool();
  ({ url, sandbox, toolKey } = harness);
  ({ privateKey: impostorKey } = await generateKeyPair('RS256'));
});

afterAll(async () => {
  await harness.close();
});

/** The query a tool's OIDC login sends the browser to the platform with (Security Framework §5.1.1.2). */
function clientAssertion(claims: { jti?: string } = {}, key: KeyLike = toolKey) {
  return new SignJWT({ jti: claims.jti ?? randomUUID() })
    .setProtectedHeader({ alg: 'RS256', kid: 'tool-1' })
    .setIssuer(sandbox.clientId)
    .setSubject(sandbox.clientId)
    .setAudience(sandbox.registration.tokenUrl)
    .setIssuedAt()
    .setExpirationTime('1m')
    .sign(key);
}

function requestToken(assertion: string, scope: string) {
  return request(url).post('/sandbox/token').type('form').send({
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
    scope,
  });
}

async function bearer(scope: string): Promise<string> {
  const response = await requestToken(await clientAssertion(), scope).expect(200);
  return `Bearer ${response.body.access_token as string}`;
}

describe('the token endpoint', () => {
  it('when the assertion is signed by the tool, then it issues a Bearer token for the scopes asked', async () => {
    const response = await requestToken(await clientAssertion(), `${ags}score ${nrpsScope}`).expect(200);
    expect(response.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: `${ags}score ${nrpsScope}`,
    });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('when the signature is not the tool’s, or the jti is replayed, then it answers 401 invalid_client', async () => {
    const forged = await requestToken(await clientAssertion({}, impostorKey), `${ags}score`);
    expect([forged.status, forged.body.error]).toEqual([401, 'invalid_client']);
    const assertion = await clientAssertion({ jti: 'once-only' });
    await requestToken(assertion, `${ags}score`).expect(200);
    const replayed = await requestToken(assertion, `${ags}score`);
    expect([replayed.status, replayed.body.error]).toEqual([401, 'invalid_client']);
    const badScope = await requestToken(await clientAssertion(), 'https://example.org/scope/everything');
    expect([badScope.status, badScope.body.error]).toEqual([400, 'invalid_scope']);
  });
});

describe('the grade service (AGS)', () => {
  const score = (overrides: Record<string, unknown> = {}) => ({
    userId: '3',
    scoreGiven: 8,
    scoreMaximum: 10,
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
    timestamp: '2025-03-01T10:00:00.000Z',
    ...overrides,
  });

  it('when a score lacks a timestamp it is 400; a valid one is stored and shown in the gradebook', async () => {
    const lineItemWriter = await bearer(`${ags}lineitem`);
    const created = await request(url)
      .post('/sandbox/ags/contexts/7/lineitems?type_id=1')
      .set('Authorization', lineItemWriter)
      .set('Content-Type', 'application/vnd.ims.lis.v2.lineitem+json')
      .send(
        JSON.stringify({ label: 'Reflection 1', scoreMaximum: 10, resourceLinkId: '11', tag: 'reflection' }),
      )
      .expect(201);
    const lineItemUrl = created.body.id as string;
    expect(lineItemUrl).toMatch(
      new RegExp(`^${sandbox.issuer}/ags/contexts/7/lineitems/\\d+/lineitem\\?type_id=1$`),
    );
    const scoresPath = `${new URL(lineItemUrl).pathname}/scores?type_id=1`;
    const scorer = await bearer(`${ags}score`);
    const post = (body: object, auth = scorer) =>
      request(url)
        .post(scoresPath)
        .set('Authorization', auth)
        .set('Content-Type', 'application/vnd.ims.lis.v1.score+json')
        .send(JSON.stringify(body));

    const { timestamp: _omitted, ...withoutTimestamp } = score();
    const missing = await post(withoutTimestamp);
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('timestamp: is required');
    expect((await post(score({ userId: '999' }))).status).toBe(400);
    expect((await post(score(), lineItemWriter)).status).toBe(403);
    expect((await post(score(), 'Bearer not-a-token')).status).toBe(401);
    await post(score()).expect(200);
    await post(score()).expect(200);
    expect((await post(score({ timestamp: '2025-02-01T10:00:00Z' }))).status).toBe(409);

    const gradebook = await request(url).get('/sandbox/gradebook').expect(200);
    expect(gradebook.text).toContain('Reflection 1');
    expect(gradebook.text).toMatch(/<span class="lms-score">8 \/ 10<\/span>/);
    expect(gradebook.text).toMatch(/Scores received<\/th>\s*<td>2<\/td>/);

    const results = await request(url)
      .get(`${new URL(lineItemUrl).pathname}/results?type_id=1`)
      .set('Authorization', await bearer(`${ags}result.readonly`))
      .expect(200);
    expect(results.body).toEqual([
      expect.objectContaining({ userId: '3', resultScore: 8, resultMaximum: 10 }),
    ]);
  });

  it('when the service is switched off, then every AGS endpoint answers 503 until switched back on', async () => {
    const reader = await bearer(`${ags}lineitem.readonly`);
    sandbox.setAgsAvailable(false);
    try {
      await request(url)
        .get('/sandbox/ags/contexts/7/lineitems?type_id=1')
        .set('Authorization', reader)
        .expect(503);
      const scorePost = await request(url)
        .post('/sandbox/ags/contexts/7/lineitems/1/lineitem/scores?type_id=1')
        .set('Authorization', await bearer(`${ags}score`))
        .set('Content-Type', 'application/vnd.ims.lis.v1.score+json')
        .send(JSON.stringify(score()));
      expect(scorePost.status).toBe(503);
    } finally {
      sandbox.setAgsAvailable(true);
    }
    await request(url)
      .get('/sandbox/ags/contexts/7/lineitems?type_id=1')
      .set('Authorization', reader)
      .expect(200);
  });
});

describe('the roster service (NRPS)', () => {
  it('when asked with limit=5, then it pages with Link headers and gives Moodle’s short role names', async () => {
    const auth = await bearer(nrpsScope);
    const members: { user_id: string; roles: string[]; status: string }[] = [];
    let next: string | undefined = `${sandbox.issuer}/nrps/contexts/7/memberships?limit=5`;
    let pages = 0;
    while (next) {
      const response: request.Response = await request(url)
        .get(new URL(next).pathname + new URL(next).search)
        .set('Authorization', auth)
        .set('Accept', 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json')
        .expect(200)
        .expect('Content-Type', /application\/vnd\.ims\.lti-nrps\.v2\.membershipcontainer\+json/);
      members.push(...response.body.members);
      next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.link ?? '')?.[1];
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(members).toHaveLength(12);
    const byId = Object.fromEntries(members.map((member) => [member.user_id, member]));
    expect(byId['3']?.roles).toEqual(['Learner']);
    expect(byId['6']?.roles).toEqual(['Instructor', 'Mentor']);
    expect(byId['2']?.roles).toEqual(['Administrator', 'Instructor']);
    expect(members.filter((member) => member.status === 'Inactive')).toHaveLength(1);
    await request(url).get('/sandbox/nrps/contexts/7/memberships').expect(401);
  });
});
