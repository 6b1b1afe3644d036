import { openForm, type Agent } from '../../../support';

/** PHQ-2 answers adding up to `total` (0–6). */
export function phq2Answers(total: number): Record<string, string> {
  const first = Math.min(3, total);
  return { 'phq2-1': String(first), 'phq2-2': String(total - first) };
}

/** Takes a self-check as its form would be posted (CSRF token read from the form page), asking for HTML. */
export async function takeCheck(
  agent: Agent,
  instrument: string,
  answers: Record<string, string>,
  extra = {},
) {
  const { csrf } = await openForm(agent, `/wellbeing/checks/${instrument}`);
  return agent
    .post(`/wellbeing/checks/${instrument}`)
    .type('form')
    .set('Accept', 'text/html')
    .send({ _csrf: csrf, ...answers, ...extra });
}

/** Takes a check that must be saved: returns the result's path (the 303's Location). */
export async function savedResult(agent: Agent, instrument: string, answers: Record<string, string>) {
  const answer = await takeCheck(agent, instrument, answers);
  if (answer.status !== 303) throw new Error(`the check answered ${answer.status}:\n${answer.text}`);
  return answer.headers.location as string;
}
