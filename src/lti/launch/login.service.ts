import { randomBytes } from 'node:crypto';
import type { Config } from '../../config';
import { sha256Hex } from '../../shared/crypto/digest';
import { isOwnUrl } from './launchCheck.service';
import { LoginStateModel, type LoginState } from './loginState.model';
import { PlatformModel, type Platform } from '../registration';
import { LtiRefusal } from './refusal.service';

/** How long a login may take from initiation to launch, including a detour through a new window. */
export const loginLifetimeMs = 10 * 60_000;

/**
 * The parameters of a third-party-initiated login (LTI 1.3 §5.1.1.1) Rounds reads, each with the longest value it
 * takes, measured percent-encoded as it travels in the authentication request's URL; a longer one counts as absent.
 * The caps bound what a login stores whatever characters a value holds. Hints are opaque to Rounds: Canvas sends a
 * signed JWT of a few hundred characters as lti_message_hint, Moodle a short JSON text.
 */
const initiationLimits = {
  iss: 512,
  login_hint: 2048,
  target_link_uri: 1024,
  client_id: 255,
  lti_message_hint: 2048,
  // LTI 1.3 §5.3.3: deployment_id "MUST NOT exceed 255 ASCII characters".
  lti_deployment_id: 255,
  // A window name, such as Moodle's "_parent" or Canvas' "post_message_forwarding".
  lti_storage_target: 255,
} as const;
export type LoginInitiation = Partial<Record<keyof typeof initiationLimits, string>>;

/** Paths the platform may post an id_token to (the tool's registered redirect URIs). */
const redirectPaths = ['/lti/launch', '/lti/deeplink'];

/** Reads the initiation parameters (query or form), ignoring repeated or oversized values. */
export function readInitiation(params: Record<string, unknown>): LoginInitiation {
  const initiation: LoginInitiation = {};
  for (const [name, maxLength] of Object.entries(initiationLimits)) {
    const value = params[name];
    if (typeof value === 'string' && value !== '' && encodedLength(value, maxLength) <= maxLength) {
      initiation[name as keyof LoginInitiation] = value;
    }
  }
  return initiation;
}

/** The value's length once form-encoded in a URL; stops early (any number past `cap`) for a long value. */
function encodedLength(value: string, cap: number): number {
  if (value.length > cap) return value.length;
  return new URLSearchParams({ v: value }).toString().length - 2;
}

async function findLoginPlatform(initiation: LoginInitiation): Promise<Platform> {
  const issuer = initiation.iss!;
  const identity = { issuer, clientId: initiation.client_id };
  let platform: Platform | null;
  if (initiation.client_id) {
    platform = (await PlatformModel.findOne({
      issuer,
      clientId: initiation.client_id,
    }).lean()) as Platform | null;
  } else {
    // LTI 1.3 §5.1.1.1: client_id is optional; without it the issuer must name one registration.
    const candidates = (await PlatformModel.find({ issuer }).limit(2).lean()) as Platform[];
    if (candidates.length > 1) throw new LtiRefusal('login_missing_client_id', identity);
    platform = candidates[0] ?? null;
  }
  if (!platform) throw new LtiRefusal('login_unknown_platform', identity);
  const known = { issuer: platform.issuer, clientId: platform.clientId };
  if (!platform.active) throw new LtiRefusal('login_platform_inactive', known);
  if (initiation.lti_deployment_id && !platform.deploymentIds.includes(initiation.lti_deployment_id)) {
    throw new LtiRefusal('login_unknown_deployment', known);
  }
  return platform;
}

/**
 * Starts an OIDC login for a registered, active platform (Security Framework §5.1.1): checks the initiation,
 * generates state and nonce, and stores them together so the launch can be bound to this login. Nothing is
 * stored when a check fails. `target_link_uri` must be on Rounds' own origin, so Rounds is no open redirect.
 */
export async function startLogin(
  initiation: LoginInitiation,
  config: Config,
  now = new Date(),
): Promise<LoginState> {
  if (!initiation.iss || !initiation.login_hint || !initiation.target_link_uri) {
    throw new LtiRefusal('login_missing_parameters', {
      issuer: initiation.iss,
      clientId: initiation.client_id,
    });
  }
  const platform = await findLoginPlatform(initiation);
  if (!isOwnUrl(initiation.target_link_uri, config)) {
    throw new LtiRefusal('login_foreign_target', { issuer: platform.issuer, clientId: platform.clientId });
  }
  const target = new URL(initiation.target_link_uri);
  const redirectUri = redirectPaths.includes(target.pathname)
    ? `${config.publicUrl}${target.pathname}`
    : `${config.publicUrl}/lti/launch`;
  const state = randomBytes(32).toString('hex');
  const nonce = randomBytes(24).toString('base64url');

  // OIDC Core §3.1.2.1 with the LTI parameters of LTI 1.3 §5.1.1.2.
  const auth = new URL(platform.authUrl);
  const query: Record<string, string | undefined> = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: platform.clientId,
    redirect_uri: redirectUri,
    login_hint: initiation.login_hint,
    state,
    nonce,
    lti_message_hint: initiation.lti_message_hint,
    lti_deployment_id: initiation.lti_deployment_id,
  };
  for (const [name, value] of Object.entries(query))
    if (value !== undefined) auth.searchParams.set(name, value);

  const created = await LoginStateModel.create({
    state,
    nonce,
    issuer: platform.issuer,
    clientId: platform.clientId,
    redirectUri,
    storageTarget: initiation.lti_storage_target,
    // With issuer, client ID and the hints inside authRequestUrl, all a new window needs to start it again.
    targetLinkUri: initiation.target_link_uri,
    authRequestUrl: auth.toString(),
    createdAt: now,
    expiresAt: new Date(now.getTime() + loginLifetimeMs),
  });
  return created.toObject() as LoginState;
}

/** A login that has not been used or expired yet. */
export async function findPendingLogin(state: unknown, now = new Date()): Promise<LoginState | undefined> {
  if (typeof state !== 'string' || !/^[0-9a-f]{64}$/.test(state)) return undefined;
  return (
    ((await LoginStateModel.findOne({ state, expiresAt: { $gt: now } }).lean()) as LoginState | null) ??
    undefined
  );
}

/**
 * For a browser that keeps no cookie in the LMS's iframe: a fresh secret for the platform's storage
 * (1EdTech Platform Storage), stored hashed with the login. Returns the secret to hand to the page.
 */
export async function bindLoginToStorage(state: string): Promise<string> {
  const secret = randomBytes(32).toString('base64url');
  await LoginStateModel.updateOne({ state }, { $set: { storageSecretHash: sha256Hex(secret) } });
  return secret;
}
