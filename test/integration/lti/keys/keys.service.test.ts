import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  configureToolKeys,
  listToolKeys,
  publishedToolJwks,
  rotateToolKeys,
  signToolJwt,
} from '../../../../src/lti/keys/keys.service';
import { useTestDatabase } from '../../../support';

const secret = 'keys-service-test-secret-0123456789abcdef';
const hour = 3600_000;

useTestDatabase();

beforeAll(() => {
  configureToolKeys({ encryptionKey: secret, retirementHours: 24 });
});

describe('signToolJwt', () => {
  it('when the tool signs a JWT, then it verifies against the published keyset with the active kid, audience and expiry', async () => {
    const token = await signToolJwt(
      { iss: 'client-1', sub: 'client-1' },
      { audience: 'https://lms.example/token', expiresInSeconds: 60 },
    );
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createLocalJWKSet(await publishedToolJwks()),
      { issuer: 'client-1', audience: 'https://lms.example/token' },
    );
    const [active] = await listToolKeys();
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: active!.kid });
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(typeof payload.jti).toBe('string');
  });

  it('when the keys are rotated, then new tokens carry the new kid and both keys stay published until retirement', async () => {
    const before = decodeProtectedHeader(await signToolJwt({}, { audience: 'x' })).kid;
    const now = new Date();
    const { active, retiring } = await rotateToolKeys(now);
    expect(active.kid).not.toBe(before);
    expect(retiring.map((key) => key.kid)).toEqual([before]);
    expect(decodeProtectedHeader(await signToolJwt({}, { audience: 'x' })).kid).toBe(active.kid);

    const kids = async (at: Date) => (await publishedToolJwks(at)).keys.map((key) => key.kid);
    expect(await kids(new Date(now.getTime() + 23 * hour))).toEqual([active.kid, before]);
    expect(await kids(new Date(now.getTime() + 25 * hour))).toEqual([active.kid]);
  });
});
