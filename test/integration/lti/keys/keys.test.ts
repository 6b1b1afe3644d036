import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import mongoose from 'mongoose';
import request from 'supertest';
import { deriveSealingKey, unseal } from '../../src/lti/keys/keys.crypto';
import { ToolKeyModel } from '../../src/lti/keys/keys.model';
import { listToolKeys, rotateToolKeys, signToolJwt } from '../../src/lti/keys/keys.service';
import { submitGrade } from '../../src/lti/services/grades.service';
import type { Rounds } from '../../src/runtime';
import { launchAs } from '../support/launch';
import { jobReaches, ownDatabaseUri, sandboxCourseIn } from '../support/outbox';
import { testDatabaseUri } from '../support/database';
import { startTestRounds } from '../support/rounds';

// The tool's signing keys: sealed in the database, published at /lti/keys, rotated without breaking platforms.
let rounds: Rounds;

beforeAll(async () => {
  rounds = await startTestRounds({ mongodbUri: ownDatabaseUri(testDatabaseUri(), 'keys_http') });
});

afterAll(async () => {
  await rounds?.close();
});

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
    expect(() =>
      unseal(deriveSealingKey('another-secret-of-at-least-32-chars!!'), sealed, key!.kid),
    ).toThrow();
    expect(() => unseal(deriveSealingKey(rounds.config.ltiEncryptionKey), sealed, 'another-kid')).toThrow();
  });

  it('when a platform fetches /lti/keys, then it gets Rounds’ own keyset (public members only) and it verifies Rounds’ tokens', async () => {
    const response = await request(rounds.url).get('/lti/keys').expect(200);
    expect(response.body.keys).toHaveLength(1);
    expect(Object.keys(response.body.keys[0]).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    const token = await signToolJwt({ iss: 'rounds' }, { audience: 'https://lms.example' });
    await expect(jwtVerify(token, createLocalJWKSet(response.body))).resolves.toBeTruthy();
  });

  it('when the keys are rotated, then both are published, new tokens use the new key, the sandbox accepts them, and the old key drops out after retirement', async () => {
    const [oldKey] = await listToolKeys();
    const first = await requestSandboxToken();
    expect([first.response.status, first.kid]).toEqual([200, oldKey!.kid]);

    const { active } = await rotateToolKeys();
    expect(await publishedKids()).toEqual([active.kid, oldKey!.kid]);
    // The sandbox, like a platform, re-fetches a keyset for an unknown kid at most once a second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await requestSandboxToken();
    expect([second.response.status, second.kid]).toEqual([200, active.kid]);

    // And the outbox's own token request, signed the same way, gets a grade through.
    expect((await launchAs(rounds, 'nurse')).launch.status).toBe(303);
    const course = await sandboxCourseIn(rounds);
    const { jobId } = await submitGrade({
      tenantId: course.tenantId,
      courseId: course.courseId,
      userId: await course.userId('3'),
      resourceLinkId: '11',
      scoreGiven: 1,
      scoreMaximum: 1,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      attemptId: 'keys-test:after-rotation',
    });
    await jobReaches(jobId, 'sent');

    // 24 hours later (the retirement period): only the new key is published, and the old one's private half is gone.
    await ToolKeyModel.updateOne({ kid: oldKey!.kid }, { $set: { retiresAt: new Date(Date.now() - 1000) } });
    expect(await publishedKids()).toEqual([active.kid]);
    const { active: third } = await rotateToolKeys();
    const retired = await ToolKeyModel.findOne({ kid: oldKey!.kid }).lean();
    expect(retired!.encryptedPrivateKey).toBeUndefined();
    expect((await listToolKeys()).map((key) => [key.kid, key.status])).toEqual([
      [third.kid, 'active'],
      [active.kid, 'retiring'],
      [oldKey!.kid, 'retired'],
    ]);
  });
});
