import request from 'supertest';
import type { Rounds } from '../../../../src/runtime';
import { autoPostForm, decodeHtml, launchAs, openForm, pathOf, postForm, type Agent } from '../../../support';

/** The assignment form's fields: a prompt and a two-criterion rubric (out of 3 + 4 = 7), due as given. */
export function assignmentFields(title: string, due = { dueDate: '2026-03-31', dueTime: '17:00' }) {
  return {
    title,
    prompt: 'Describe a hard conversation with a patient’s family.\nWhat would you do again?',
    ...due,
    c0_title: 'Insight',
    c0_l0_label: 'Emerging',
    c0_l0_points: '1',
    c0_l1_label: 'Developing',
    c0_l1_points: '2',
    c0_l2_label: 'Proficient',
    c0_l2_points: '3',
    c1_title: 'Plan',
    c1_l0_label: 'Missing',
    c1_l0_points: '0',
    c1_l1_label: 'Clear',
    c1_l1_points: '4',
  };
}

/** A manager creates an assignment through the form; returns its id (read from the assignments page). */
export async function createAssignmentAs(
  agent: Agent,
  cohortId: string,
  title: string,
  due?: { dueDate: string; dueTime: string },
): Promise<string> {
  const path = `/cohorts/${cohortId}/assignments/new`;
  const saved = await postForm(agent, path, path, assignmentFields(title, due));
  if (saved.status !== 303) throw new Error(`creating “${title}” answered ${saved.status}:\n${saved.text}`);
  const page = decodeHtml((await agent.get(`/cohorts/${cohortId}/assignments`).expect(200)).text);
  const id = new RegExp(`/assignments/([0-9a-f]{24})/edit">${title}<`).exec(page)?.[1];
  if (!id) throw new Error(`“${title}” is not on the assignments page`);
  return id;
}

/**
 * The sandbox's mentor places `key` in the course through deep linking (picker → signed response → the sandbox);
 * returns the resource link id of the placed activity, read from the course page's "Launch … as Nora" link.
 */
export async function placeInCourse(rounds: Rounds, key: string, title: string): Promise<string> {
  const { agent, launch } = await launchAs(rounds, 'mentor', { deepLinking: true });
  const pickerPath = launch.headers.location!;
  const answer = await postForm(agent, pickerPath, pickerPath, { action: 'place', targets: key });
  if (answer.status !== 200) throw new Error(`placing ${key} answered ${answer.status}:\n${answer.text}`);
  const form = autoPostForm(answer.text);
  await agent.post(pathOf(form.action)).type('form').send(form.fields).expect(303);
  const course = decodeHtml((await request(rounds.url).get('/sandbox/').expect(200)).text);
  const links = [
    ...course.matchAll(new RegExp(`resource_link_id=(\\d+)">Launch “${title}” as Nora Okafor`, 'g')),
  ];
  const last = links.at(-1)?.[1];
  if (!last) throw new Error(`“${title}” is not in the sandbox course`);
  return last;
}

/** The CSRF token of a page the agent can open. */
export async function csrfOf(agent: Agent, path: string): Promise<string> {
  return (await openForm(agent, path)).csrf;
}
