import type { Rounds } from '../../src/runtime';
import { csrfTokenOf, formOf } from './html';
import { signedInAs, type Agent } from './launch';

export { attributeOf, csrfTokenOf, decodeHtml, formOf, hiddenFields } from './html';

/** An agent signed in to Rounds as the sandbox's site administrator (Sam Whitfield). */
export async function adminAgent(rounds: Rounds): Promise<Agent> {
  return (await signedInAs(rounds, 'cmeAdmin')).agent;
}

/** The action and hidden fields of the page's auto-posting form (`data-autosubmit`), decoded. */
export function autoPostForm(html: string): { action: string; fields: Record<string, string> } {
  return formOf(html, 'autosubmit');
}

/** Opens `path` as `agent` and returns the page's text and its forms' CSRF token. */
export async function openForm(agent: Agent, path: string): Promise<{ html: string; csrf: string }> {
  const page = await agent.get(path).expect(200);
  return { html: page.text, csrf: csrfTokenOf(page.text) };
}

/** Posts a Rounds form as its page would (with the CSRF token read from `formPath`), asking for HTML. */
export async function postForm(agent: Agent, formPath: string, action: string, fields: object = {}) {
  const { csrf } = await openForm(agent, formPath);
  return agent
    .post(action)
    .type('form')
    .set('Accept', 'text/html')
    .send({ _csrf: csrf, ...fields });
}
