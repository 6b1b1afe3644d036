import request from 'supertest';
import type { Rounds } from '../../src/runtime';
import type { SandboxPerson } from '../../src/sandbox/sandbox';

export type Agent = ReturnType<typeof request.agent>;

/** The hidden inputs and action of the sandbox's auto-submitting form. */
export function readLaunchForm(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error('no form in the sandbox page:\n' + html.slice(0, 500));
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(match[0])?.[1];
    const value = /value="([^"]*)"/.exec(match[0])?.[1];
    if (name && value !== undefined) fields[name] = value.replace(/&amp;/g, '&');
  }
  return { action: action.replace(/&amp;/g, '&'), fields };
}

/** Path and query of an absolute URL on Rounds' own origin. */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

/**
 * Follows Rounds' OIDC login from its initiation URL (login → cookie check → the platform's auth endpoint) and
 * returns the platform's answer: the auto-posting form with the id_token.
 */
export async function followLogin(agent: Agent, initiationUrl: string) {
  const login = await agent.get(pathOf(initiationUrl)).expect(302);
  const check = await agent.get(login.headers.location!).expect(302);
  return agent.get(pathOf(check.headers.location!)).expect(200);
}

/**
 * Runs the real LTI 1.3 flow over HTTP as a browser would, with a cookie jar: the sandbox's "Launch as …" link →
 * Rounds' OIDC login and cookie check → the sandbox's auth endpoint → the signed id_token POSTed to /lti/launch.
 * Returns the agent (holding the Rounds session cookie) and the launch response. `tamper` may alter the form.
 */
export async function launchAs(
  rounds: Rounds,
  person: SandboxPerson['key'],
  options: { tamper?: (fields: Record<string, string>) => void; resourceLinkId?: string } = {},
) {
  const agent = request.agent(rounds.url);
  const start = await agent.get(`/sandbox/launch/${person}`).expect(302);
  const auth = await followLogin(agent, start.headers.location!);
  const form = readLaunchForm(auth.text);
  options.tamper?.(form.fields);
  const launch = await agent.post(pathOf(form.action)).type('form').send(form.fields);
  return { agent, launch, form };
}
