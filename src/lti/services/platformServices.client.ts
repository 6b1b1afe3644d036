import { outboundRequest, type OutboundResponse } from '../../shared/http/outbound';
import { signToolJwt } from '../keys';
import { OutboxParkError, failureFromOutbound, failureFromResponse } from './outbox.errors';
import { PlatformModel } from '../registration';

/** The platform a service call goes to, as registered with Rounds. */
export interface ServicePlatform {
  issuer: string;
  clientId: string;
  tokenUrl: string;
}

const requestTimeoutMs = 15_000;
/** A token answer is a few hundred bytes; anything near this is not one. */
const tokenMaxBytes = 64 * 1024;
/** A token is used until this long before it expires, so a call never starts with a token about to lapse. */
const expiryMarginMs = 60_000;
/** When a platform omits `expires_in` (it should not), a token is kept this long. */
const assumedLifetimeSeconds = 300;

interface CachedToken {
  token: string;
  expiresAt: number;
}

/** Finds the registered platform of a tenant's issuer and client id; parks the job when it was removed. */
export async function servicePlatformFor(issuer: string, clientId: string): Promise<ServicePlatform> {
  const platform = await PlatformModel.findOne({ issuer, clientId }).lean();
  if (!platform) {
    throw new OutboxParkError(
      `The LMS ${issuer} is no longer registered with Rounds, so nothing can be sent to it.`,
    );
  }
  return { issuer: platform.issuer, clientId: platform.clientId, tokenUrl: platform.tokenUrl };
}

/**
 * Calls an LMS's Advantage services with OAuth 2 access tokens (1EdTech Security Framework §4.1: the
 * client-credentials grant with a JWT client assertion signed by Rounds' key). Tokens are cached per platform and
 * scope set until shortly before they expire, and concurrent calls share one token request. A 401 from a service
 * drops the token and tries once more with a new one (the platform revoked it early).
 */
export class PlatformServices {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<CachedToken>>();
  private readonly allowPrivateAddresses: boolean;
  private readonly now: () => number;

  /**
   * `allowPrivateAddresses` only outside production (`privateAddressesAllowed(config)`): the sandbox LMS runs on
   * 127.0.0.1; a production Rounds never calls a token or service URL on a private address (SSRF).
   */
  constructor(options: { allowPrivateAddresses: boolean; now?: () => number }) {
    this.allowPrivateAddresses = options.allowPrivateAddresses;
    this.now = options.now ?? Date.now;
  }

  /** GET/POST/PUT a service URL with a Bearer token for `scopes`; resolves only with a 2xx response. */
  async request(
    platform: ServicePlatform,
    scopes: string[],
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string; maxBytes?: number },
    what: string,
  ): Promise<OutboundResponse> {
    for (let attempt = 1; ; attempt += 1) {
      const token = await this.accessToken(platform, scopes);
      const response = await this.send(
        url,
        { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } },
        what,
      );
      if (response.ok) return response;
      if (response.status === 401 && attempt === 1) {
        this.forget(platform, scopes);
        continue;
      }
      throw failureFromResponse(response, what);
    }
  }

  /** An access token for exactly these scopes, from the cache or the platform's token endpoint. */
  private async accessToken(platform: ServicePlatform, scopes: string[]): Promise<string> {
    const key = cacheKey(platform, scopes);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt - expiryMarginMs > this.now()) return cached.token;
    let inFlight = this.pending.get(key);
    if (!inFlight) {
      inFlight = this.requestToken(platform, scopes).finally(() => this.pending.delete(key));
      this.pending.set(key, inFlight);
    }
    const fresh = await inFlight;
    this.tokens.set(key, fresh);
    return fresh.token;
  }

  /** Forgets a platform's token for these scopes. */
  private forget(platform: ServicePlatform, scopes: string[]): void {
    this.tokens.delete(cacheKey(platform, scopes));
  }

  private async requestToken(platform: ServicePlatform, scopes: string[]): Promise<CachedToken> {
    const what = 'asking for an access token';
    // Security Framework §4.1.1: iss and sub are the client_id, aud the token endpoint, and a unique jti.
    const assertion = await signToolJwt(
      { iss: platform.clientId, sub: platform.clientId },
      { audience: platform.tokenUrl, expiresInSeconds: 300 },
    );
    const response = await this.send(
      platform.tokenUrl,
      {
        maxBytes: tokenMaxBytes,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
          scope: [...scopes].sort().join(' '),
        }).toString(),
      },
      what,
    );
    if (!response.ok) throw failureFromResponse(response, what);
    const body = jsonOf(response, what) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new OutboxParkError('The LMS answered the access token request without an access_token.');
    }
    const lifetime =
      typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : assumedLifetimeSeconds;
    return { token: body.access_token, expiresAt: this.now() + lifetime * 1000 };
  }

  /** One call through Rounds' outbound client: no private addresses in production, no redirects, capped. */
  private async send(
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string; maxBytes?: number },
    what: string,
  ): Promise<OutboundResponse> {
    try {
      return await outboundRequest(url, {
        ...init,
        timeoutMs: requestTimeoutMs,
        allowPrivateAddresses: this.allowPrivateAddresses,
      });
    } catch (error) {
      throw failureFromOutbound(error, what);
    }
  }
}

/** A service answer's JSON body; an answer that is not JSON parks the job (retrying will not change it). */
export function jsonOf(response: OutboundResponse, what: string): unknown {
  try {
    return response.json();
  } catch {
    throw new OutboxParkError(`The LMS did not answer with JSON when ${what}.`);
  }
}

function cacheKey(platform: ServicePlatform, scopes: string[]): string {
  return JSON.stringify([platform.issuer, platform.clientId, platform.tokenUrl, [...new Set(scopes)].sort()]);
}
