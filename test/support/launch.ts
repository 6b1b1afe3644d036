import request from 'supertest';
import type { Rounds } from '../../src/runtime';
import type { SandboxPerson } from '../../src/sandbox/sandbox';
import { formOf } from './html';

export type Agent = ReturnType<typeof request.agent>;

/** The hidden inputs and action of the sandbox's auto-submitting form, decoded. */
export function readLaunchForm(html: string): { action: string; fields: Record<string, string> } {
  return formOf(html);
}

/** Path and query of an absolute URL on Rounds' own origin. */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

/**
 * Follows Rounds' OIDC login from its initiation URL (login → cookie check → the platform's auth endpoint) and
 * returns the platform's answer: the auto-posting form with the id_token. In its own window (`ownWindow`, the
 * browser's `Sec-Fetch-Dest: document`) Rounds skips the cookie check, as it does for a real top-level login.
 */
export async function followLogin(
  agent: Agent,
  initiationUrl: string,
  options: { ownWindow?: boolean } = {},
) {
  const login = agent.get(pathOf(initiationUrl));
  if (options.ownWindow) login.set('Sec-Fetch-Dest', 'document');
  const answer = await login.expect(302);
  const toPlatform = options.ownWindow ? answer : await agent.get(answer.headers.location!).expect(302);
  return agent.get(pathOf(toPlatform.headers.location!)).expect(200);
}

/** Where a launch starts in the sandbox course (its "Launch as …" links and buttons). */
export interface LaunchOptions {
  /** The browser (cookie jar) to launch in; a new one by default. */
  agent?: Agent;
  /** A placed activity's resource link instead of the course's built-in one. */
  resourceLinkId?: string;
  /** "Add an activity (deep linking)" instead of a resource link launch. */
  deepLinking?: boolean;
  /** Launch through another registration of the sandbox LMS (a tool it registered dynamically). */
  toolClientId?: string;
  /** A top-level window (no cookie-check hop). */
  ownWindow?: boolean;
  /** Alters the id_token form before it is posted (to break a signature, change a claim). */
  tamper?: (fields: Record<string, string>) => void;
}

/** The sandbox path of a "Launch as …" link for `person`. */
export function sandboxLaunchPath(person: SandboxPerson['key'], options: LaunchOptions = {}): string {
  const base = options.toolClientId ? `/sandbox/tools/${options.toolClientId}/launch` : '/sandbox/launch';
  const query = new URLSearchParams();
  if (options.resourceLinkId) query.set('resource_link_id', options.resourceLinkId);
  if (options.deepLinking) query.set('message_type', 'LtiDeepLinkingRequest');
  return `${base}/${person}${query.size ? `?${query}` : ''}`;
}

/**
 * Runs the real LTI 1.3 flow over HTTP as a browser would, with a cookie jar: the sandbox's "Launch as …" link →
 * Rounds' OIDC login and cookie check → the sandbox's auth endpoint → the signed id_token POSTed to Rounds.
 * Returns the agent (holding the Rounds session cookie), the launch response and the form that was posted.
 */
export async function launchAs(rounds: Rounds, person: SandboxPerson['key'], options: LaunchOptions = {}) {
  const agent = options.agent ?? request.agent(rounds.url);
  const start = await agent.get(sandboxLaunchPath(person, options)).expect(302);
  const auth = await followLogin(agent, start.headers.location!, options);
  const form = readLaunchForm(auth.text);
  options.tamper?.(form.fields);
  const launch = await agent.post(pathOf(form.action)).type('form').send(form.fields);
  return { agent, launch, form };
}

/** A launch that must succeed: the agent is signed in and the answer is Rounds' redirect (303). */
export async function signedInAs(rounds: Rounds, person: SandboxPerson['key'], options: LaunchOptions = {}) {
  const launched = await launchAs(rounds, person, options);
  if (launched.launch.status !== 303) {
    throw new Error(`the ${person}'s launch answered ${launched.launch.status}:\n${launched.launch.text}`);
  }
  return launched;
}

/** Set-Cookie headers of a response, joined. */
export function setCookies(response: { headers: Record<string, unknown> }): string {
  return ([] as string[]).concat((response.headers['set-cookie'] as string[] | undefined) ?? []).join(';');
}

/** The session cookie's token in a response's Set-Cookie, whatever its name's prefix. */
export function sessionTokenOf(response: { headers: Record<string, unknown> }): string | undefined {
  const token = /(?:^|;)(?:__Host-)?rounds_session=([^;]*)/.exec(setCookies(response))?.[1];
  return token ? decodeURIComponent(token) : undefined;
}
