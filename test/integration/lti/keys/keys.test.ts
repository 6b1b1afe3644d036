import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import mongoose from 'mongoose';
import request from 'supertest';
import { deriveSealingKey, unseal } from '../../../../src/lti/keys/keys.crypto';
import { ToolKeyModel } from '../../../../src/lti/keys/keys.model';
import { listToolKeys, rotateToolKeys, signToolJwt } from '../../../../src/lti/keys/keys.service';
import { gradeFor, jobReaches, sandboxCourseIn, signedInAs, useTestRounds } from '../../../support';

// The tool's signing keys: sealed in the database, published at /lti/keys, rotated without breaking platforms.
const rounds = useTestRounds();
// What AES-256-GCM says when the key or the label (the additional data) is not the one it was sealed with.
const unsealRefused = 'Unsupported state or unable to authenticate data';

async function publishedKids(): Promise<string[]> {
  const response = await request(rounds.url).get('/lti/keys').expect(200);
  expect(response.headers['cache-control']).toBe('public, max-age=300');
  return (response.body.keys as Array<{ kid: string }>).map((key) => key.kid);
}

/** Asks the sandbox LMS's token endpoint for a token with an assertion Rounds signed (as the outbox does). */
async function requestSandboxToken() {
  const sandbox = rounds.sandbox!;
  const assertion = await signToolJwt(
    { iss: sandbox.clientId, sub: sandbox.clientId },
    { audience: sandbox.registration.tokenUrl },
  );
  const response = await request(rounds.url).post('/sandbox/token').type('form').send({
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
    scope: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  });
  return { response, kid: decodeProtectedHeader(assertion).kid };
}

describe('the tool’s keys', () => {
  it('when Rounds has started, then its private key is stored only encrypted: no PEM, no JWK private members', async () => {
    const stored = await mongoose.connection.db!.collection('toolkeys').find().toArray();
    expect(stored).toHaveLength(1);
    const raw = JSON.stringify(stored);
    expect(raw).not.toMatch(/PRIVATE KEY/);
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(raw).not.toContain(`"${member}":`);
    const [key] = stored;
    // The sealed value opens with the configured LTI_ENCRYPTION_KEY only, and only under its own kid.
    const sealed = key!.encryptedPrivateKey;
    const opened = JSON.parse(unseal(deriveSealingKey(rounds.config.ltiEncryptionKey), sealed, key!.kid));
    expect(opened).toMatchObject({ kty: 'RSA', kid: key!.kid });
    expect(typeof opened.d).toBe('string');
    expect(() => unseal(deriveSealingKey('another-secret-of-at-least-32-chars!!'), sealed, key!.kid)).toThrow(
      unsealRefused,
    );
    expect(() => unseal(deriveSealingKey(rounds.config.ltiEncryptionKey), sealed, 'another-kid')).toThrow(
      unsealRefused,
    );
  });

  it('when a platform fetches /lti/keys, then it gets Rounds’ own keyset (public members only) and it verifies Rounds’ tokens', async () => {
    const response = await request(rounds.url).get('/lti/keys').expect(200);
    expect(response.body.keys).toHaveLength(1);
    expect(Object.keys(response.body.keys[0]).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    const token = await signToolJwt({ iss: 'rounds' }, { audience: 'https://lms.example' });
    await expect(jwtVerify(token, createLocalJWKSet(response.body))).resolves.toBeTruthy();
  });
});

describe('when the keys are rotated', () => {
  let oldKid: string;
  let beforeRotation: Awaited<ReturnType<typeof requestSandboxToken>>;
  let activeKid: string;

  beforeAll(async () => {
    oldKid = (await listToolKeys())[0]!.kid;
    beforeRotation = await requestSandboxToken();
    activeKid = (await rotateToolKeys()).active.kid;
    // The sandbox, like a platform, re-fetches a keyset for an unknown kid at most once a second after its last
    // fetch (just now, for beforeRotation): a second passes before any test's token reaches it with the new kid.
    await new Promise((resolve) => setTimeout(resolve, 1100));
  });

  it('then both keys are published, the new one first', async () => {
    expect(await publishedKids()).toEqual([activeKid, oldKid]);
  });

  it('then new tokens carry the new key, and the sandbox accepts them as it accepted the old key’s', async () => {
    expect([beforeRotation.response.status, beforeRotation.kid]).toEqual([200, oldKid]);
    const after = await requestSandboxToken();
    expect([after.response.status, after.kid]).toEqual([200, activeKid]);
  });

  it('then the outbox’s own token request, signed the same way, gets a grade to the LMS', async () => {
    await signedInAs(rounds, 'nurse');
    const course = await sandboxCourseIn(rounds);
    const jobId = await gradeFor(course, '3', { scoreGiven: 1, scoreMaximum: 1 });
    expect((await jobReaches(jobId, 'sent')).outcome).toContain('sent');
  });

  it('then 24 hours later only the new key is published, and the next rotation drops the old private half', async () => {
    // The retirement period has passed for the old key.
    await ToolKeyModel.updateOne({ kid: oldKid }, { $set: { retiresAt: new Date(Date.now() - 1000) } });
    expect(await publishedKids()).toEqual([activeKid]);
    const { active: third } = await rotateToolKeys();
    const retired = await ToolKeyModel.findOne({ kid: oldKid }).lean();
    expect(retired!.encryptedPrivateKey).toBeUndefined();
    expect((await listToolKeys()).map((key) => [key.kid, key.status])).toEqual([
      [third.kid, 'active'],
      [activeKid, 'retiring'],
      [oldKid, 'retired'],
    ]);
  });
});
