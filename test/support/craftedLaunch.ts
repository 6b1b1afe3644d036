import request from 'supertest';
import type { Rounds } from '../../src/runtime';
import type { SandboxPerson } from '../../src/sandbox/sandbox';
import { pathOf, type Agent } from './launch';

export const ltiClaim = 'https://purl.imsglobal.org/spec/lti/claim/';

type Claims = Record<string, unknown>;

/**
 * Starts a real OIDC login at Rounds from an initiation URL and stops where the browser would go to the
 * platform: returns the state and nonce Rounds put in the authentication request (the agent keeps the cookie).
 */
export async function beginLogin(agent: Agent, initiationUrl: string) {
  const login = await agent.get(pathOf(initiationUrl)).expect(302);
  const check = await agent.get(login.headers.location!).expect(302);
  const auth = new URL(check.headers.location!);
  return { state: auth.searchParams.get('state')!, nonce: auth.searchParams.get('nonce')!, auth };
}

/**
 * Path and query of the sandbox's login initiation for `person` (the nurse by default) with some parameters
 * replaced, or removed where `changes` gives `undefined`: a login as the LMS would start it, or a forged one.
 */
export function sandboxInitiation(
  rounds: Rounds,
  changes: Record<string, string | undefined> = {},
  person: SandboxPerson['key'] = 'nurse',
): string {
  const url = new URL(rounds.sandbox!.loginInitiationUrl(person));
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) url.searchParams.delete(name);
    else url.searchParams.set(name, value);
  }
  return pathOf(url.toString());
}

/** The parameters of the sandbox's login initiation for `person`, as a form POST to /lti/login sends them. */
export function sandboxInitiationParameters(rounds: Rounds, person: SandboxPerson['key'] = 'nurse') {
  return Object.fromEntries(new URL(rounds.sandbox!.loginInitiationUrl(person)).searchParams);
}

/** Begins a login as a sandbox person, like the course page's "Launch as …" button. */
export function beginSandboxLogin(rounds: Rounds, agent: Agent, person: SandboxPerson['key'] = 'nurse') {
  return beginLogin(agent, rounds.sandbox!.loginInitiationUrl(person));
}

/** Posts an id_token to the launch URL as the platform's auto-submitting form does. */
export function postLaunch(agent: Agent, fields: Record<string, string>, path = '/lti/launch') {
  return agent.post(path).type('form').set('Accept', 'text/html').send(fields);
}

/**
 * The token with one character of its signature changed: the first, which always carries signature bits (the
 * last characters of base64url may be padding bits only, so changing them can leave the signature valid).
 */
export function withBrokenSignature(idToken: string): string {
  const [header, payload, signature] = idToken.split('.');
  const flipped = (signature!.startsWith('A') ? 'B' : 'A') + signature!.slice(1);
  return [header, payload, flipped].join('.');
}

/** Another registration of an LMS (its client ID and one deployment), as a launch through it names them. */
export interface Registration {
  clientId: string;
  deploymentIds: string[];
}

/** Changes claims to come through `registration`: its client ID as audience, its first deployment. */
export function throughRegistration(claims: Claims, registration: Registration): void {
  claims.aud = registration.clientId;
  claims.azp = registration.clientId;
  claims[`${ltiClaim}deployment_id`] = registration.deploymentIds[0];
}

/**
 * A launch as the sandbox LMS would sign it, crafted: a real login at Rounds (in `agent`, a new browser by
 * default) from the sandbox's initiation URL, changed by `initiation`; the person's claims for that login's nonce,
 * changed by `claims`; signed by `sign` (the sandbox's key by default). Returns what to post and where.
 */
export async function craftLaunch(
  rounds: Rounds,
  options: {
    agent?: Agent;
    person?: SandboxPerson['key'];
    messageType?: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
    initiation?: (url: URL) => void;
    /** Changes the claims in place (its return value is ignored). */
    claims?: (claims: Claims) => unknown;
    sign?: (claims: Claims) => Promise<string>;
  } = {},
) {
  const agent = options.agent ?? request.agent(rounds.url);
  const person = options.person ?? 'nurse';
  const initiation = new URL(
    rounds.sandbox!.loginInitiationUrl(person, {
      resourceLinkId: options.messageType === 'LtiDeepLinkingRequest' ? 'deeplink' : undefined,
    }),
  );
  options.initiation?.(initiation);
  const { state, nonce } = await beginLogin(agent, initiation.toString());
  const claims = rounds.sandbox!.launchClaims(person, { nonce, messageType: options.messageType });
  options.claims?.(claims);
  const sign = options.sign ?? ((toSign: Claims) => rounds.sandbox!.signIdToken(toSign));
  return { agent, state, nonce, claims, fields: { id_token: await sign(claims), state } };
}

/** Crafts a launch (see craftLaunch) and posts it to /lti/launch; returns the agent and Rounds' answer. */
export async function postCraftedLaunch(rounds: Rounds, options: Parameters<typeof craftLaunch>[1] = {}) {
  const crafted = await craftLaunch(rounds, options);
  return { agent: crafted.agent, launch: await postLaunch(crafted.agent, crafted.fields) };
}
