import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { PlatformKeyCache, PlatformKeyError } from '../../../../src/lti/registration/platformKeys.cache';

const url = 'https://lms.example/jwks';

async function publicJwk(kid: string): Promise<JWK> {
  const { publicKey } = await generateKeyPair('RS256');
  return { ...(await exportJWK(publicKey)), kid, alg: 'RS256' };
}

/** A cache on a clock the test moves, over a keyset the test controls; counts fetches. */
function cacheWith(initial: JWK[]) {
  const world = { now: 1_000_000, keys: initial, fetches: 0, fail: false };
  const cache = new PlatformKeyCache({
    now: () => world.now,
    fetchKeyset: async () => {
      world.fetches += 1;
      if (world.fail) throw new Error('LMS down');
      return world.keys;
    },
  });
  return { world, cache };
}

describe('PlatformKeyCache', () => {
  it('when many launches ask at once, then the keyset is fetched once', async () => {
    const { world, cache } = cacheWith([await publicJwk('a')]);
    await Promise.all(Array.from({ length: 5 }, () => cache.keyFor('lms', url, 'a')));
    expect(world.fetches).toBe(1);
  });

  it('when a kid is unknown, then it re-fetches at most once per 30 s', async () => {
    const { world, cache } = cacheWith([await publicJwk('a')]);
    await cache.keyFor('lms', url, 'a');
    world.keys = [await publicJwk('b')];
    await expect(cache.keyFor('lms', url, 'b')).rejects.toEqual(new PlatformKeyError('unknown_key'));
    world.now += 29_000;
    await expect(cache.keyFor('lms', url, 'forged')).rejects.toThrow('unknown_key');
    expect(world.fetches).toBe(1);
    world.now += 1_000;
    expect((await cache.keyFor('lms', url, 'b')).jwk.kid).toBe('b');
    expect(world.fetches).toBe(2);
  });

  it('when an hour has passed, then the keyset is fetched again, so a withdrawn key stops working', async () => {
    const { world, cache } = cacheWith([await publicJwk('a')]);
    await cache.keyFor('lms', url, 'a');
    world.keys = [await publicJwk('b')];
    world.now += 60 * 60_000;
    await expect(cache.keyFor('lms', url, 'a')).rejects.toThrow('unknown_key');
    expect(world.fetches).toBe(2);
  });

  it('when the LMS cannot be reached at first, then launches are refused as keyset unavailable', async () => {
    const { world, cache } = cacheWith([await publicJwk('a')]);
    world.fail = true;
    await expect(cache.keyFor('lms', url, 'a')).rejects.toThrow('keyset_unavailable');
    await expect(cache.keyFor('lms', url, 'a')).rejects.toThrow('keyset_unavailable');
    expect(world.fetches).toBe(1);
  });

  it('when a re-fetch fails, then the keys fetched before keep working', async () => {
    const { world, cache } = cacheWith([await publicJwk('a')]);
    await cache.keyFor('lms', url, 'a');
    world.fail = true;
    world.now += 60 * 60_000;
    expect((await cache.keyFor('lms', url, 'a')).jwk.kid).toBe('a');
  });

  it('when the platform is registered with a new JWKS URL, then that URL is fetched', async () => {
    const { world, cache } = cacheWith([await publicJwk('a')]);
    await cache.keyFor('lms', url, 'a');
    await cache.keyFor('lms', 'https://lms.example/new-jwks', 'a');
    expect(world.fetches).toBe(2);
  });
});
