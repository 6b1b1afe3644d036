import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { registerPlatform } from '../../../../src/lti/registration/platform.service';
import { PlatformKeyCache, PlatformKeyError } from '../../../../src/lti/registration/platformKeys.cache';
import {
  answerJson as json,
  expectRefusalPage,
  launchAs,
  postCraftedLaunch,
  setCookies,
  startFarEnd,
  throughRegistration,
  useTestRounds,
  type FarEnd,
} from '../../../support';

const rounds = useTestRounds();
const requestedPaths: string[] = [];

beforeAll(() => {
  // Every request Rounds' server sees, including Rounds' own fetches of the sandbox's keyset.
  rounds.server.on('request', (req) => requestedPaths.push(String(req.url)));
});

describe("the sandbox LMS's public keyset", () => {
  it('when two people launch, then Rounds fetched the keyset once (ltijs no longer fetches it per launch)', async () => {
    rounds.lti.platformKeys.forget(`${rounds.sandbox!.issuer} ${rounds.sandbox!.clientId}`);
    requestedPaths.length = 0;
    expect((await launchAs(rounds, 'nurse')).launch.status).toBe(303);
    expect((await launchAs(rounds, 'pharmacist')).launch.status).toBe(303);
    expect(requestedPaths.filter((path) => path.startsWith('/sandbox/jwks.json'))).toHaveLength(1);
  });
});

/** An LMS of the test's own: its keyset is served by `serveKeyset`, on 127.0.0.1 as the sandbox's is. */
interface TestPlatform {
  issuer: string;
  clientId: string;
  keyset: FarEnd;
}

const platforms: TestPlatform[] = [];

async function registerTestPlatform(
  name: string,
  serveKeyset: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestPlatform> {
  const keyset = await startFarEnd(serveKeyset);
  const platform = { issuer: `https://${name}.example`, clientId: `${name}-client`, keyset };
  platforms.push(platform);
  await registerPlatform({
    issuer: platform.issuer,
    clientId: platform.clientId,
    deploymentIds: [`${name}-deployment`],
    name,
    authUrl: `${platform.issuer}/auth`,
    tokenUrl: `${platform.issuer}/token`,
    jwksUrl: `${keyset.origin}/jwks`,
  });
  return platform;
}

afterAll(async () => {
  jest.useRealTimers();
  await Promise.all(platforms.map((platform) => platform.keyset.close()));
});

async function signingKey(kid: string): Promise<{ kid: string; privateKey: KeyLike; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** A login through Rounds and a launch signed with `key`, as `platform` would send it. */
async function launchSignedWith(platform: TestPlatform, key: Awaited<ReturnType<typeof signingKey>>) {
  const { launch } = await postCraftedLaunch(rounds, {
    initiation: (url) => {
      url.search = new URLSearchParams({
        iss: platform.issuer,
        client_id: platform.clientId,
        login_hint: '42',
        target_link_uri: `${rounds.url}/lti/launch`,
      }).toString();
    },
    claims: (claims) => {
      claims.iss = platform.issuer;
      throughRegistration(claims, {
        clientId: platform.clientId,
        deploymentIds: [platform.clientId.replace(/-client$/, '-deployment')],
      });
    },
    sign: (claims) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid }).sign(key.privateKey),
  });
  return launch;
}

describe('a platform that rotates its signing key', () => {
  let platform: TestPlatform;
  let published: JWK[] = [];

  beforeAll(async () => {
    platform = await registerTestPlatform('rotating-lms', (_req, res) => json(res, { keys: published }));
  });

  it('when the platform starts signing with a new kid, then Rounds re-fetches once, at most every 30 s, and accepts it', async () => {
    const [first, second] = [await signingKey('key-2025'), await signingKey('key-2026')];
    published = [first.publicJwk];
    expect((await launchSignedWith(platform, first)).status).toBe(303);
    expect((await launchSignedWith(platform, first)).status).toBe(303);
    expect(platform.keyset.hits).toHaveLength(1);

    published = [second.publicJwk];
    // Within 30 s of the last fetch an unknown kid is refused without asking the platform again.
    const early = await launchSignedWith(platform, second);
    expectRefusalPage(early, 401, 'launch_unknown_key');
    expect(platform.keyset.hits).toHaveLength(1);

    // 31 s later (only Date moves; timers and I/O stay real) the new kid makes Rounds fetch the keyset again.
    jest.useFakeTimers({
      now: Date.now() + 31_000,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    const later = await launchSignedWith(platform, second);
    expect(later.status).toBe(303);
    expect(setCookies(later)).toMatch(/rounds_session=/);
    expect(platform.keyset.hits).toHaveLength(2);
    jest.useRealTimers();
  });
});

describe('fetching a keyset safely', () => {
  let key: Awaited<ReturnType<typeof signingKey>>;
  let elsewhere: FarEnd;

  beforeAll(async () => {
    key = await signingKey('safe-fetch-key');
    elsewhere = await startFarEnd((_req, res) => json(res, { keys: [key.publicJwk] }));
  });

  afterAll(async () => {
    await elsewhere.close();
  });

  it.each([
    ['another origin', 'cross-site', () => `${elsewhere.origin}/jwks`],
    ['its own origin', 'same-site', () => '/jwks-moved'],
  ])(
    'when the keyset URL redirects to %s, then Rounds does not follow: the launch is refused and the target never asked',
    async (_where, name, location) => {
      const platform = await registerTestPlatform(`redirecting-${name}-lms`, (req, res) => {
        if (req.url === '/jwks-moved') return json(res, { keys: [key.publicJwk] });
        res.writeHead(302, { location: location() }).end();
      });
      const launch = await launchSignedWith(platform, key);
      expectRefusalPage(launch, 401, 'launch_keyset_unavailable');
      expect(platform.keyset.hits).toEqual(['/jwks']);
      expect(elsewhere.hits).toEqual([]);
    },
  );

  it('when the keyset is larger than 256 KiB, then Rounds stops reading it and refuses the launch', async () => {
    const padding = 'x'.repeat(300 * 1024);
    const platform = await registerTestPlatform('bloated-lms', (_req, res) =>
      json(res, { keys: [key.publicJwk], padding }),
    );
    const launch = await launchSignedWith(platform, key);
    expectRefusalPage(launch, 401, 'launch_keyset_unavailable');
  });

  it('when private addresses are not allowed (production), then a keyset on 127.0.0.1 is never fetched; where they are, it is', async () => {
    const guarded = new PlatformKeyCache({ allowPrivateAddresses: false });
    const jwksUrl = `${elsewhere.origin}/jwks`;
    const refused = guarded.keyFor('private-lms', jwksUrl, key.kid);
    await expect(refused).rejects.toBeInstanceOf(PlatformKeyError);
    await expect(refused).rejects.toMatchObject({ kind: 'keyset_unavailable' });
    expect(elsewhere.hits).toEqual([]);
    const development = new PlatformKeyCache({ allowPrivateAddresses: true });
    expect((await development.keyFor('private-lms', jwksUrl, key.kid)).jwk.kid).toBe(key.kid);
    expect(elsewhere.hits).toEqual(['/jwks']);
  });
});
