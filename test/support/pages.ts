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

/** The action and hidden fields of the page's auto-posting form (`data-autosubmit`), decoded. */
export function autoPostForm(html: string): { action: string; fields: Record<string, string> } {
  const form = /<form[^>]*data-autosubmit[^>]*>[\s\S]*?<\/form>/.exec(html)?.[0];
  const action = form ? /action="([^"]+)"/.exec(form)?.[1] : undefined;
  if (!form || !action) throw new Error('no auto-posting form on the page:\n' + html.slice(0, 500));
  const fields: Record<string, string> = {};
  for (const match of form.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(match[0])?.[1];
    const value = /value="([^"]*)"/.exec(match[0])?.[1];
    if (name && value !== undefined) fields[name] = decodeHtml(value);
  }
  return { action: decodeHtml(action), fields };
}
