import { randomUUID } from 'node:crypto';
import { SignJWT, generateKeyPair, type KeyLike } from 'jose';
import request from 'supertest';
import { useSandboxHarness } from '../../support';

// Service side of the sandbox LMS: token endpoint, AGS, NRPS (launch side: sandbox.test.ts).
// The platform under test is real; the other side is a stub *tool* (see useSandboxHarness).
const ags = 'https://purl.imsglobal.org/spec/lti-ags/scope/';
const nrpsScope = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';
const harness = useSandboxHarness();
let impostorKey: KeyLike;

beforeAll(async () => {
  ({ privateKey: impostorKey } = await generateKeyPair('RS256'));
});

/** The query a tool's OIDC login sends the browser to the platform with (Security Framework §5.1.1.2). */
function clientAssertion(claims: { jti?: string } = {}, key: KeyLike = harness.toolKey) {
  return new SignJWT({ jti: claims.jti ?? randomUUID() })
    .setProtectedHeader({ alg: 'RS256', kid: 'tool-1' })
    .setIssuer(harness.sandbox.clientId)
    .setSubject(harness.sandbox.clientId)
    .setAudience(harness.sandbox.registration.tokenUrl)
    .setIssuedAt()
    .setExpirationTime('1m')
    .sign(key);
}

function requestToken(assertion: string, scope: string) {
  return request(harness.url).post('/sandbox/token').type('form').send({
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

  it('when the signature is not the tool’s, then it answers 401 invalid_client', async () => {
    const forged = await requestToken(await clientAssertion({}, impostorKey), `${ags}score`);
    expect([forged.status, forged.body.error]).toEqual([401, 'invalid_client']);
  });

  it('when an assertion’s jti is used a second time, then it answers 401 invalid_client', async () => {
    const assertion = await clientAssertion({ jti: 'once-only' });
    await requestToken(assertion, `${ags}score`).expect(200);
    const replayed = await requestToken(assertion, `${ags}score`);
    expect([replayed.status, replayed.body.error]).toEqual([401, 'invalid_client']);
  });

  it('when a scope the tool was not granted is asked for, then it answers 400 invalid_scope', async () => {
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

  let lineItemUrl: string;
  let lineItemWriter: string;
  let scorer: string;

  /** POSTs a score to the line item's scores URL (`…/lineitem/scores?type_id=1`) with `auth`. */
  function postScore(body: object, auth = scorer) {
    return request(harness.url)
      .post(`${new URL(lineItemUrl).pathname}/scores?type_id=1`)
      .set('Authorization', auth)
      .set('Content-Type', 'application/vnd.ims.lis.v1.score+json')
      .send(JSON.stringify(body));
  }

  beforeAll(async () => {
    lineItemWriter = await bearer(`${ags}lineitem`);
    scorer = await bearer(`${ags}score`);
    const created = await request(harness.url)
      .post('/sandbox/ags/contexts/7/lineitems?type_id=1')
      .set('Authorization', lineItemWriter)
      .set('Content-Type', 'application/vnd.ims.lis.v2.lineitem+json')
      .send(
        JSON.stringify({ label: 'Reflection 1', scoreMaximum: 10, resourceLinkId: '11', tag: 'reflection' }),
      )
      .expect(201);
    lineItemUrl = created.body.id as string;
  });

  it('when a tool creates a line item, then its URL carries Moodle’s ?type_id after the path', () => {
    expect(lineItemUrl).toMatch(
      new RegExp(`^${harness.sandbox.issuer}/ags/contexts/7/lineitems/\\d+/lineitem\\?type_id=1$`),
    );
  });

  it.each([
    ['has no timestamp', 400, () => ({ ...score(), timestamp: undefined }), () => scorer],
    ['names someone not enrolled', 400, () => score({ userId: '999' }), () => scorer],
    ['comes with a token without the score scope', 403, () => score(), () => lineItemWriter],
    ['comes with a token the LMS never issued', 401, () => score(), () => 'Bearer not-a-token'],
  ])('when a score %s, then it is refused (%d) and nothing is stored', async (_what, status, body, auth) => {
    const before = await request(harness.url).get('/sandbox/gradebook').expect(200);
    expect((await postScore(body(), auth())).status).toBe(status);
    const after = await request(harness.url).get('/sandbox/gradebook').expect(200);
    expect(after.text).toBe(before.text);
  });

  it('when a score has no timestamp, then the 400 names the field (Moodle requires it)', async () => {
    const { timestamp: _omitted, ...withoutTimestamp } = score();
    const missing = await postScore(withoutTimestamp);
    expect(missing.body.error.message).toBe('timestamp: is required');
  });

  it('when a valid score is posted twice, then both are received and the gradebook shows it', async () => {
    await postScore(score()).expect(200);
    await postScore(score()).expect(200);
    const gradebook = await request(harness.url).get('/sandbox/gradebook').expect(200);
    expect(gradebook.text).toContain('Reflection 1');
    expect(gradebook.text).toMatch(/<span class="lms-score">8 \/ 10<\/span>/);
    expect(gradebook.text).toMatch(/Scores received<\/th>\s*<td[^>]*>2<\/td>/);
  });

  it('when a score is older than the one the LMS holds, then it answers 409', async () => {
    await postScore(score()).expect(200);
    expect((await postScore(score({ timestamp: '2025-02-01T10:00:00Z' }))).status).toBe(409);
  });

  it('when the tool reads the results, then it gets the learner’s score', async () => {
    await postScore(score()).expect(200);
    const results = await request(harness.url)
      .get(`${new URL(lineItemUrl).pathname}/results?type_id=1`)
      .set('Authorization', await bearer(`${ags}result.readonly`))
      .expect(200);
    expect(results.body).toEqual([
      expect.objectContaining({ userId: '3', resultScore: 8, resultMaximum: 10 }),
    ]);
  });

  it('when the service is switched off, then every AGS endpoint answers 503 until switched back on', async () => {
    const reader = await bearer(`${ags}lineitem.readonly`);
    harness.sandbox.setAgsAvailable(false);
    try {
      await request(harness.url)
        .get('/sandbox/ags/contexts/7/lineitems?type_id=1')
        .set('Authorization', reader)
        .expect(503);
      const scorePost = await request(harness.url)
        .post('/sandbox/ags/contexts/7/lineitems/1/lineitem/scores?type_id=1')
        .set('Authorization', await bearer(`${ags}score`))
        .set('Content-Type', 'application/vnd.ims.lis.v1.score+json')
        .send(JSON.stringify(score()));
      expect(scorePost.status).toBe(503);
    } finally {
      harness.sandbox.setAgsAvailable(true);
    }
    await request(harness.url)
      .get('/sandbox/ags/contexts/7/lineitems?type_id=1')
      .set('Authorization', reader)
      .expect(200);
  });
});

describe('the roster service (NRPS)', () => {
  it('when asked with limit=5, then it pages with Link headers and gives Moodle’s short role names', async () => {
    const auth = await bearer(nrpsScope);
    const members: { user_id: string; roles: string[]; status: string }[] = [];
    let next: string | undefined = `${harness.sandbox.issuer}/nrps/contexts/7/memberships?limit=5`;
    let pages = 0;
    while (next) {
      const response: request.Response = await request(harness.url)
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
    await request(harness.url).get('/sandbox/nrps/contexts/7/memberships').expect(401);
  });
});
