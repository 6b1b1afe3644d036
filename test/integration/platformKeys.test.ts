import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import request from 'supertest';
import type { Rounds } from '../../src/runtime';
import { registerPlatform } from '../../src/lti/platform.service';
import { launchAs } from '../support/launch';
import { startTestRounds } from '../support/rounds';
import { beginLogin, ltiClaim, postLaunch, setCookies } from '../support/craftedLaunch';

let rounds: Rounds;
const requestedPaths: string[] = [];

beforeAll(async () => {
  rounds = await startTestRounds();
  // Every request Rounds' server sees, including ltijs' or Rounds' own fetches of the sandbox's keyset.
  rounds.server.on('request', (req) => requestedPaths.push(String(req.url)));
});

afterAll(async () => {
  await rounds.close();
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

/** An LMS of the test's own whose keyset can rotate: it serves whichever keys the test gives it. */
interface RotatingPlatform {
  issuer: string;
  clientId: string;
  published: JWK[];
  fetches: number;
  server: Server;
}

async function signingKey(kid: string): Promise<{ kid: string; privateKey: KeyLike; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

describe('a platform that rotates its signing key', () => {
  let platform: RotatingPlatform;

  beforeAll(async () => {
    platform = {
      issuer: 'https://rotating-lms.example',
      clientId: 'rotating-client',
      published: [],
      fetches: 0,
      server: createServer((_req, res) => {
        platform.fetches += 1;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: platform.published }));
      }),
    };
    await new Promise<void>((resolve) => platform.server.listen(0, '127.0.0.1', resolve));
    const { port } = platform.server.address() as AddressInfo;
    await registerPlatform(rounds.lti, {
      issuer: platform.issuer,
      clientId: platform.clientId,
      deploymentIds: ['rotating-deployment'],
      name: 'Rotating LMS',
      authUrl: `${platform.issuer}/auth`,
      tokenUrl: `${platform.issuer}/token`,
      jwksUrl: `http://127.0.0.1:${port}/jwks`,
    });
  });

  afterAll(async () => {
    jest.useRealTimers();
    await new Promise((resolve) => platform.server.close(resolve));
  });

  /** A login through Rounds and a launch signed with `key`, as this platform would send it. */
  async function launchSignedWith(key: Awaited<ReturnType<typeof signingKey>>) {
    const agent = request.agent(rounds.url);
    const initiation = new URL(`${rounds.url}/lti/login`);
    initiation.search = new URLSearchParams({
      iss: platform.issuer,
      client_id: platform.clientId,
      login_hint: '42',
      target_link_uri: `${rounds.url}/lti/launch`,
    }).toString();
    const { state, nonce } = await beginLogin(agent, initiation.toString());
    const claims = {
      ...rounds.sandbox!.launchClaims('nurse', { nonce }),
      iss: platform.issuer,
      aud: platform.clientId,
      azp: platform.clientId,
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 300,
      [`${ltiClaim}deployment_id`]: 'rotating-deployment',
    };
    const idToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
      .sign(key.privateKey);
    return postLaunch(agent, { id_token: idToken, state });
  }

  it('when the platform starts signing with a new kid, then Rounds re-fetches once, at most every 30 s, and accepts it', async () => {
    const [first, second] = [await signingKey('key-2025'), await signingKey('key-2026')];
    platform.published = [first.publicJwk];
    expect((await launchSignedWith(first)).status).toBe(303);
    expect((await launchSignedWith(first)).status).toBe(303);
    expect(platform.fetches).toBe(1);

    platform.published = [second.publicJwk];
    // Within 30 s of the last fetch an unknown kid is refused without asking the platform again.
    const early = await launchSignedWith(second);
    expect(early.status).toBe(401);
    expect(early.text).toContain('reference: launch_unknown_key');
    expect(platform.fetches).toBe(1);

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
    const later = await launchSignedWith(second);
    expect(later.status).toBe(303);
    expect(setCookies(later)).toMatch(/rounds_session=/);
    expect(platform.fetches).toBe(2);
    jest.useRealTimers();
  });
});
