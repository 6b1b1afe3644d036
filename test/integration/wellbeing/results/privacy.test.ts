import request from 'supertest';
import { createLogger } from '../../../../src/shared/logger';
import { craftLaunch, ltiClaim, postLaunch, signedInAs, useTestRounds, type Agent } from '../../../support';
import { phq2Answers, savedResult } from './takeCheck';

// Issue 10: "Mentors, instructors, admins and the LMS gradebook never see an answer or a score, by page, API,
// export or log line."

const logLines: string[] = [];
const rounds = useTestRounds(
  {},
  { logger: createLogger('trace', { destination: { write: (line: string) => void logLines.push(line) } }) },
);

let nurse: Agent;
let resultPath: string;

/** Someone the mentor person's LMS sends with the Instructor role only. */
async function instructorOnly(): Promise<Agent> {
  const { agent, fields } = await craftLaunch(rounds, {
    person: 'mentor',
    claims: (claims) => {
      claims[`${ltiClaim}roles`] = ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'];
    },
  });
  await postLaunch(agent, fields).expect(303);
  return agent;
}

beforeAll(async () => {
  nurse = (await signedInAs(rounds, 'nurse')).agent;
  resultPath = await savedResult(nurse, 'phq-2', phq2Answers(5));
});

describe('only the learner sees their results', () => {
  it('when the nurse opens her own result as a page and as JSON, then she sees her answers and score', async () => {
    const json = await nurse.get(resultPath).set('Accept', 'application/json').expect(200);
    expect(json.body).toMatchObject({
      instrument: 'phq-2',
      total: 5,
      band: '3-or-more',
      positive: true,
      answers: { 'phq2-1': 3, 'phq2-2': 2 },
    });
    expect(json.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['a mentor', () => signedInAs(rounds, 'mentor').then((launched) => launched.agent)],
    ['an instructor', instructorOnly],
    ['an admin', () => signedInAs(rounds, 'cmeAdmin').then((launched) => launched.agent)],
    ['a second learner', () => signedInAs(rounds, 'pharmacist').then((launched) => launched.agent)],
  ])(
    'when %s asks for the nurse’s result by page, by API and by export, then 404 and nothing of hers',
    async (_who, signIn) => {
      const other = await signIn();
      const page = await other.get(resultPath).set('Accept', 'text/html');
      expect(page.status).toBe(404);
      expect(page.text).not.toContain('out of 6');
      const api = await other.get(resultPath).set('Accept', 'application/json');
      expect(api.status).toBe(404);
      expect(api.body).toEqual({ error: expect.objectContaining({ code: 'not_found' }) });
      const resultId = resultPath.split('/').pop()!;
      const exported = await other.get('/wellbeing/data/export').expect(200);
      expect(exported.headers['content-disposition']).toMatch(/^attachment; filename=/);
      expect(exported.text).not.toContain(resultId);
      expect(JSON.parse(exported.text).results.every((result: { total: number }) => result.total !== 5)).toBe(
        true,
      );
      const list = await other.get('/wellbeing/results').expect(200);
      expect(list.text).not.toContain(resultId);
    },
  );

  it('when nobody is signed in, then the result, the export and the library answer 401', async () => {
    for (const path of [resultPath, '/wellbeing/data/export', '/wellbeing/checks', '/wellbeing/results']) {
      expect((await request(rounds.url).get(path).set('Accept', 'text/html')).status).toBe(401);
    }
  });

  it('when a learner opens the admins’ aggregates, then 403', async () => {
    const answer = await nurse.get('/admin/wellbeing/aggregates').set('Accept', 'text/html');
    expect(answer.status).toBe(403);
  });

  it('when a result id is forged, then 404 without a crash', async () => {
    for (const id of ['not-an-id', 'A'.repeat(22), '../../etc/passwd', '64b000000000000000000001']) {
      expect(
        (await nurse.get(`/wellbeing/results/${encodeURIComponent(id)}`).set('Accept', 'text/html')).status,
      ).toBe(404);
    }
  });

  it('when all this was logged, then no log line holds an answer, a score or a band', () => {
    const logs = logLines.join('\n');
    expect(logs).toContain('/wellbeing/results/');
    for (const secret of ['phq2-1', 'phq2-2', '3-or-more', 'screening cut-off', '"total"', 'answers']) {
      expect(logs).not.toContain(secret);
    }
    // Nor anything that tells one result from another: a result's length or its ETag (a reversible body hash).
    expect(logs).not.toMatch(/content-length/i);
    expect(logs).not.toMatch(/etag/i);
  });

  it('when a result page is answered, then it carries no ETag to tell it from another', async () => {
    const answer = await nurse.get(resultPath).set('Accept', 'application/json');
    expect(answer.status).toBe(200);
    expect(answer.headers.etag).toBeUndefined();
  });
});
