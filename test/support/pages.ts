import type { Rounds } from '../../src/runtime';
import { launchAs, type Agent } from './launch';

/** Page text with the entities handlebars writes decoded (`&amp;`, `&#x3D;`, quotes). */
export function decodeHtml(html: string): string {
  return html
    .replace(/&#x3D;/g, '=')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&#x60;/g, '`')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The first form's CSRF token on a Rounds page. */
export function csrfTokenOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no _csrf field on the page:\n' + html.slice(0, 500));
  return token;
}

/** The value of an attribute of the first element matching `selector`-like regex source, decoded. */
export function attributeOf(html: string, tagPattern: string, attribute: string): string | undefined {
  const tag = new RegExp(`<${tagPattern}[^>]*>`).exec(html)?.[0];
  const value = tag ? new RegExp(`${attribute}="([^"]*)"`).exec(tag)?.[1] : undefined;
  return value === undefined ? undefined : decodeHtml(value);
}

/** An agent signed in to Rounds as the sandbox's site administrator (Sam Whitfield). */
export async function adminAgent(rounds: Rounds): Promise<Agent> {
  const { agent, launch } = await launchAs(rounds, 'cmeAdmin');
  if (launch.status !== 303) throw new Error(`admin launch answered ${launch.status}`);
  return agent;
}
