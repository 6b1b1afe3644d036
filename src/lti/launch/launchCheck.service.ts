import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { Config } from '../../config';
import { LoginStateModel, type LoginState } from './loginState.model';
import { PlatformModel, type Platform, PlatformKeyError, type PlatformKeyCache } from '../registration';
import { LtiRefusal } from './refusal.service';
import { sha256Hex } from '../../shared/crypto/digest';

const claim = 'https://purl.imsglobal.org/spec/lti/claim/';
const messageTypes = new Set(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest']);

/** What a launch POST carries, as the launch check needs it. */
export interface LaunchRequest {
  idToken: unknown;
  state: unknown;
  /** The value of the signed `state<state>` cookie, if the browser sent it. */
  stateCookie: string | undefined;
  /** The secret brought back from the platform's storage (cookies blocked in the iframe), if any. */
  storageSecret: unknown;
}

export interface CheckedLaunch {
  platform: Platform;
  /** The verified token's claims; the launch completes from these alone. */
  payload: JWTPayload;
  loginState: LoginState;
  /** True when the login was bound through platform storage rather than the state cookie. */
  boundByStorage: boolean;
}

/** A launch that passed every check but whose browser kept no cookie and must fetch its platform-storage secret. */
export class StorageSecretNeeded extends Error {
  constructor(readonly loginState: LoginState) {
    super('storage secret needed');
  }
}

/** True when `url` is an http(s) URL on Rounds' own origin. */
export function isOwnUrl(url: unknown, config: Config): boolean {
  if (typeof url !== 'string') return false;
  try {
    return new URL(url).origin === new URL(config.publicUrl).origin;
  } catch {
    return false;
  }
}

/** The registered platform the token is for: `iss` plus a client ID among `aud` (OIDC Core §3.1.3.7 steps 2–5). */
async function findPlatform(payload: JWTPayload): Promise<Platform> {
  const audiences = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
  const identity = { issuer: payload.iss };
  if (typeof payload.iss !== 'string' || audiences.length === 0) {
    throw new LtiRefusal('launch_malformed', identity);
  }
  const platform = (await PlatformModel.findOne({
    issuer: payload.iss,
    clientId: { $in: audiences },
  }).lean()) as Platform | null;
  if (!platform) throw new LtiRefusal('launch_unknown_platform', identity);
  const known = { issuer: platform.issuer, clientId: platform.clientId };
  if (!platform.active) throw new LtiRefusal('launch_platform_inactive', known);
  // An extra audience Rounds does not know is only acceptable when azp names Rounds' client.
  if (audiences.length > 1 && payload.azp === undefined)
    throw new LtiRefusal('launch_untrusted_audience', known);
  if (payload.azp !== undefined && payload.azp !== platform.clientId) {
    throw new LtiRefusal('launch_azp_mismatch', known);
  }
  return platform;
}

/**
 * Rounds' one launch check (the only validator of an id_token; ltijs 5.9.9 accepted launches this refuses):
 * signature against the platform's cached keyset, expiry, age and future `iat` with the configured skew,
 * audience and azp, deployment, target_link_uri on our origin, the required LTI claims (LTI 1.3 §5.3), and the
 * login's state, consumed at once so the nonce bound to it works only once (Security Framework §5.1.1.3).
 */
export async function checkLaunch(
  request: LaunchRequest,
  config: Config,
  keys: PlatformKeyCache,
  now = Date.now(),
): Promise<CheckedLaunch> {
  if (typeof request.idToken !== 'string' || request.idToken.length > 20_000) {
    throw new LtiRefusal('launch_malformed');
  }
  let header: ReturnType<typeof decodeProtectedHeader>;
  let unverified: JWTPayload;
  try {
    header = decodeProtectedHeader(request.idToken);
    unverified = decodeJwt(request.idToken);
  } catch {
    throw new LtiRefusal('launch_malformed');
  }
  // A browser showing the state cookie for this issuer (the usual case) has its login state claimed alongside the
  // platform lookup, a round trip fewer per launch; the state is single-use whether the launch passes or not.
  const cookieMatches = typeof unverified.iss === 'string' && request.stateCookie === unverified.iss;
  const claimed = cookieMatches ? claimLoginState(request.state, new Date(now)) : undefined;
  claimed?.catch(() => undefined); // awaited below; a refusal before then must not leave it unhandled
  const platform = await findPlatform(unverified);
  const known = { issuer: platform.issuer, clientId: platform.clientId };
  if (header.alg !== 'RS256') throw new LtiRefusal('launch_bad_algorithm', known);
  if (typeof header.kid !== 'string') throw new LtiRefusal('launch_unknown_key', known);

  let payload: JWTPayload;
  try {
    const platformKey = await keys.keyFor(
      `${platform.issuer} ${platform.clientId}`,
      platform.jwksUrl,
      header.kid,
    );
    ({ payload } = await jwtVerify(request.idToken, platformKey.key, {
      algorithms: ['RS256'],
      currentDate: new Date(now),
      clockTolerance: config.ltiClockSkewSeconds,
    }));
  } catch (error) {
    if (error instanceof PlatformKeyError) {
      throw new LtiRefusal(
        error.kind === 'unknown_key' ? 'launch_unknown_key' : 'launch_keyset_unavailable',
        known,
      );
    }
    if (error instanceof joseErrors.JWTExpired) throw new LtiRefusal('launch_expired', known);
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
      throw new LtiRefusal(error.claim === 'nbf' ? 'launch_issued_in_future' : 'launch_missing_claim', known);
    }
    if (error instanceof joseErrors.JOSEError) throw new LtiRefusal('launch_bad_signature', known);
    throw error;
  }

  const nowSeconds = now / 1000;
  const skew = config.ltiClockSkewSeconds;
  if (typeof payload.exp !== 'number' || typeof payload.iat !== 'number') {
    throw new LtiRefusal('launch_missing_claim', known);
  }
  if (payload.exp + skew <= nowSeconds) throw new LtiRefusal('launch_expired', known);
  if (payload.iat > nowSeconds + skew) throw new LtiRefusal('launch_issued_in_future', known);
  if (nowSeconds - payload.iat > config.ltiTokenMaxAgeSeconds) throw new LtiRefusal('launch_too_old', known);

  const messageType = payload[`${claim}message_type`];
  const roles = payload[`${claim}roles`];
  const resourceLink = payload[`${claim}resource_link`] as { id?: unknown } | undefined;
  if (
    typeof payload.sub !== 'string' ||
    payload.sub === '' ||
    typeof payload.nonce !== 'string' ||
    !Array.isArray(roles) ||
    payload[`${claim}version`] !== '1.3.0' ||
    typeof messageType !== 'string' ||
    !messageTypes.has(messageType) ||
    (messageType === 'LtiResourceLinkRequest' && typeof resourceLink?.id !== 'string')
  ) {
    throw new LtiRefusal('launch_missing_claim', known);
  }
  const deploymentId = payload[`${claim}deployment_id`];
  if (typeof deploymentId !== 'string' || deploymentId === '') {
    throw new LtiRefusal('launch_missing_deployment', known);
  }
  if (!platform.deploymentIds.includes(deploymentId))
    throw new LtiRefusal('launch_unknown_deployment', known);
  if (!isOwnUrl(payload[`${claim}target_link_uri`], config))
    throw new LtiRefusal('launch_foreign_target', known);

  return {
    platform,
    payload,
    ...(await consumeLoginState(request, payload, known, new Date(now), claimed)),
  };
}

/** Deletes and returns the live login state named `state`, if there is one. */
async function claimLoginState(state: unknown, now: Date): Promise<LoginState | null> {
  if (typeof state !== 'string' || state === '' || state.length > 200) return null;
  return (await LoginStateModel.findOneAndDelete({
    state,
    expiresAt: { $gt: now },
  }).lean()) as LoginState | null;
}

/**
 * Binds the token to the login Rounds started in this browser: the state must be live and for this platform,
 * the token's nonce the one issued with it, and the browser must show either the state cookie or (cookies blocked)
 * the secret it left in the platform's storage. The state is deleted atomically, so a replay finds nothing.
 */
async function consumeLoginState(
  request: LaunchRequest,
  payload: JWTPayload,
  known: { issuer: string; clientId: string },
  now: Date,
  claimed: Promise<LoginState | null> | undefined,
): Promise<{ loginState: LoginState; boundByStorage: boolean }> {
  if (typeof request.state !== 'string' || request.state === '' || request.state.length > 200) {
    throw new LtiRefusal('launch_unknown_state', known);
  }
  const cookieMatches = request.stateCookie === known.issuer;
  if (!cookieMatches && request.storageSecret === undefined) {
    const live = { state: request.state, expiresAt: { $gt: now } };
    const pending = (await LoginStateModel.findOne(live).lean()) as LoginState | null;
    // Cookies were blocked but the login left a secret in platform storage: fetch it, then post again.
    if (pending?.storageSecretHash && pending.issuer === known.issuer && pending.nonce === payload.nonce) {
      throw new StorageSecretNeeded(pending);
    }
  }
  const loginState = await (claimed ?? claimLoginState(request.state, now));
  if (!loginState) throw new LtiRefusal('launch_unknown_state', known);
  if (loginState.issuer !== known.issuer || loginState.clientId !== known.clientId) {
    throw new LtiRefusal('launch_state_mismatch', known);
  }
  if (loginState.nonce !== payload.nonce) throw new LtiRefusal('launch_nonce_mismatch', known);
  if (cookieMatches) return { loginState, boundByStorage: false };
  if (typeof request.storageSecret === 'string' && loginState.storageSecretHash) {
    if (sha256Hex(request.storageSecret) !== loginState.storageSecretHash) {
      throw new LtiRefusal('launch_storage_mismatch', known);
    }
    return { loginState, boundByStorage: true };
  }
  throw new LtiRefusal('launch_missing_state_cookie', known);
}
