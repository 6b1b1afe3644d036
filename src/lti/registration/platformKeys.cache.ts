import { importJWK, type JWK, type KeyLike } from 'jose';
import { currentEnvironment } from '../../config';
import { outboundRequest, privateAddressesAllowed } from '../../shared/http/outbound';

/** At most one fetch per platform in this window when a token names a kid we have not seen (key rotation). */
const refetchCooldownMs = 30_000;
/** A cached keyset is fetched again after this long, so a key the platform withdrew stops being trusted. */
const keysetMaxAgeMs = 60 * 60_000;
const fetchTimeoutMs = 5_000;
/** A keyset holds a few public keys (a few KB); Moodle's is under 2 KB. */
const keysetMaxBytes = 256 * 1024;

export type FetchKeyset = (url: string) => Promise<JWK[]>;

interface CachedKeyset {
  url: string;
  keys: JWK[];
  fetchedAt: number;
  /** The last fetch failed and no keys were ever fetched. */
  unavailable?: boolean;
  inFlight?: Promise<JWK[]>;
}

/** Why no key could be found; each maps to a refusal reason. */
export class PlatformKeyError extends Error {
  constructor(readonly kind: 'unknown_key' | 'keyset_unavailable') {
    super(kind);
  }
}

/**
 * Fetches a keyset through Rounds' outbound client: no private addresses in production (the JWKS URL is the
 * LMS's to choose), no redirects, at most 256 KiB within 5 s.
 */
function keysetFetcher(allowPrivateAddresses: boolean): FetchKeyset {
  return async (url) => {
    const response = await outboundRequest(url, {
      headers: { accept: 'application/json' },
      timeoutMs: fetchTimeoutMs,
      maxBytes: keysetMaxBytes,
      allowPrivateAddresses,
    });
    if (!response.ok) throw new Error(`keyset ${url} answered ${response.status}`);
    const body = response.json() as { keys?: unknown } | null;
    if (!Array.isArray(body?.keys)) throw new Error(`keyset ${url} has no keys array`);
    return body.keys as JWK[];
  };
}

/**
 * Each platform's public keyset (its JWKS URL), fetched once and kept, instead of ltijs' fetch on every launch.
 * A token whose `kid` is not in the cached set triggers one re-fetch (the platform rotated its key), at most once
 * per 30 s per platform, so forged kids cannot make Rounds hammer the LMS. Concurrent launches share one fetch.
 */
export class PlatformKeyCache {
  private readonly keysets = new Map<string, CachedKeyset>();
  /** Keyed by the JWK objects of the cached keysets, so a re-fetched keyset drops its old entries. */
  private readonly importedKeys = new WeakMap<JWK, Promise<KeyLike>>();
  private readonly fetchKeyset: FetchKeyset;
  private readonly now: () => number;

  /**
   * `allowPrivateAddresses`: pass `privateAddressesAllowed(config)`. Left out, it follows NODE_ENV, so a
   * production process never fetches a keyset from a private address.
   */
  constructor(
    options: { fetchKeyset?: FetchKeyset; now?: () => number; allowPrivateAddresses?: boolean } = {},
  ) {
    const allowPrivate =
      options.allowPrivateAddresses ?? privateAddressesAllowed({ env: currentEnvironment() });
    this.fetchKeyset = options.fetchKeyset ?? keysetFetcher(allowPrivate);
    this.now = options.now ?? (() => Date.now());
  }

  /** The platform's public key for `kid`, as a JWK and a key object (for jose). */
  async keyFor(platformKey: string, jwksUrl: string, kid: string): Promise<{ jwk: JWK; key: KeyLike }> {
    let cached = this.keysets.get(platformKey);
    const now = this.now();
    if (!cached || cached.url !== jwksUrl || now - cached.fetchedAt >= keysetMaxAgeMs) {
      cached = await this.refresh(platformKey, jwksUrl, cached);
    }
    let jwk = cached.keys.find((candidate) => candidate.kid === kid);
    if (!jwk && this.now() - cached.fetchedAt >= refetchCooldownMs) {
      cached = await this.refresh(platformKey, jwksUrl, cached);
      jwk = cached.keys.find((candidate) => candidate.kid === kid);
    }
    if (!jwk) throw new PlatformKeyError(cached.unavailable ? 'keyset_unavailable' : 'unknown_key');
    return { jwk, key: await this.imported(jwk) };
  }

  /** The key object for a cached JWK, imported once: every launch verifies with it. */
  private imported(jwk: JWK): Promise<KeyLike> {
    let key = this.importedKeys.get(jwk);
    if (!key) {
      key = importJWK(jwk, 'RS256') as Promise<KeyLike>;
      this.importedKeys.set(jwk, key);
    }
    return key;
  }

  /** Forgets a platform's keyset (its registration changed). */
  forget(platformKey: string): void {
    this.keysets.delete(platformKey);
  }

  private async refresh(platformKey: string, url: string, previous?: CachedKeyset): Promise<CachedKeyset> {
    if (previous?.inFlight && previous.url === url) {
      await previous.inFlight.catch(() => undefined);
      return this.keysets.get(platformKey) ?? previous;
    }
    const inFlight = this.fetchKeyset(url);
    const pending: CachedKeyset = previous
      ? { ...previous, inFlight }
      : { url, keys: [], fetchedAt: Number.NEGATIVE_INFINITY, inFlight };
    this.keysets.set(platformKey, pending);
    try {
      const keys = await inFlight;
      const fresh = { url, keys, fetchedAt: this.now() };
      this.keysets.set(platformKey, fresh);
      return fresh;
    } catch {
      // A failed fetch still counts towards the cool-down; keys fetched before stay usable meanwhile.
      const keys = previous?.url === url ? previous.keys : [];
      const kept = { url, keys, fetchedAt: this.now(), unavailable: keys.length === 0 };
      this.keysets.set(platformKey, kept);
      return kept;
    }
  }
}
