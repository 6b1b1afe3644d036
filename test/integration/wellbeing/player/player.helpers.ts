import { csrfTokenOf, type Agent } from '../../../support';

// Helpers of the player's tests: post a step as its form does, and walk a module as a learner would.

const tokens = new WeakMap<Agent, string>();

/** The session's form token (one per session), read once from the catalogue. */
async function csrfOf(agent: Agent): Promise<string> {
  let token = tokens.get(agent);
  if (!token) {
    token = csrfTokenOf((await agent.get('/modules').expect(200)).text);
    tokens.set(agent, token);
  }
  return token;
}

/** Posts step `n` with `fields` as the browser encodes a form (a repeated name for each checked box). */
export async function postStep(
  agent: Agent,
  slug: string,
  n: number | string,
  fields: Record<string, string | string[]> = {},
) {
  const body = new URLSearchParams({ _csrf: await csrfOf(agent) });
  for (const [name, value] of Object.entries(fields)) {
    for (const one of ([] as string[]).concat(value)) body.append(name, one);
  }
  return agent
    .post(`/modules/${slug}/steps/${n}`)
    .type('form')
    .set('Accept', 'text/html')
    .send(body.toString());
}

/** The right answers to the check of two-minute-resets (step 5). */
export const resetsCheckAnswers = { q_q1: 'a', q_q2: 'b', q_q3: 'b' };

/** What each step of two-minute-resets takes, in order (the last, a self-check, takes nothing). */
export const resetsSteps: Record<string, string | string[]>[] = [
  {},
  {},
  { minutes: '2' },
  { minutes: '1' },
  resetsCheckAnswers,
  { text: 'Between the handover and the first round: box breathing.' },
];

/** Posts steps `from`..`to` (1-based) of two-minute-resets, each answered 303 as a step moving on does. */
export async function walkResets(agent: Agent, from: number, to: number): Promise<string[]> {
  const locations: string[] = [];
  for (let n = from; n <= to; n += 1) {
    const answer = await postStep(agent, 'two-minute-resets', n, resetsSteps[n - 1]);
    if (answer.status !== 303) throw new Error(`step ${n} answered ${answer.status}:\n${answer.text}`);
    locations.push(answer.headers.location!);
  }
  return locations;
}

/** The text of the page's <main>, tags kept (for toContain on markup). */
export function mainOf(html: string): string {
  return html.slice(html.indexOf('<main'), html.indexOf('</main>'));
}
