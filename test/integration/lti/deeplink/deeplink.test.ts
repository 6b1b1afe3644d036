import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import request from 'supertest';
import { DeepLinkRequestModel } from '../../src/lti/deeplink/deeplink.model';
import type { Rounds } from '../../src/runtime';
import { beginLogin, setCookies } from '../support/craftedLaunch';
import { followLogin, pathOf, readLaunchForm, type Agent } from '../support/launch';
import { autoPostForm, csrfTokenOf, decodeHtml } from '../support/pages';
import { startTestRounds } from '../support/rounds';

// Deep Linking 2.0 end to end over HTTP: the sandbox's "Add an activity (deep linking)" as the mentor → Rounds'
// picker → a signed LtiDeepLinkingResponse posted back to the sandbox, which verifies it against /lti/keys and
// places the activities (with a grade item for the gradable one) → launching a placed activity lands on its page.

const lti = 'https://purl.imsglobal.org/spec/lti/claim/';
const dl = 'https://purl.imsglobal.org/spec/lti-dl/claim/';
let rounds: Rounds;

beforeAll(async () => {
  rounds = await startTestRounds();
});

afterAll(async () => {
  await rounds.close();
});

/** The mentor opens deep linking from the sandbox course; returns the agent, the picker's path and the id_token. */
async function openPicker(person: 'mentor' | 'cmeAdmin' = 'mentor') {
  const agent = request.agent(rounds.url);
  const start = await agent.get(`/sandbox/launch/${person}?message_type=LtiDeepLinkingRequest`).expect(302);
  const auth = await followLogin(agent, start.headers.location!);
  const form = readLaunchForm(auth.text);
  expect(form.action).toBe(`${rounds.url}/lti/deeplink`);
  const launch = await agent.post(pathOf(form.action)).type('form').send(form.fields);
  expect(launch.status).toBe(303);
  expect(launch.headers.location).toMatch(/^\/lti\/deeplink\/[0-9a-f]{24}$/);
  return { agent, pickerPath: launch.headers.location!, idToken: form.fields.id_token! };
}

async function choose(agent: Agent, pickerPath: string, fields: Record<string, string | string[]>) {
  const picker = await agent.get(pickerPath).expect(200);
  return agent
    .post(pickerPath)
    .type('form')
    .set('Accept', 'text/html')
    .send({ _csrf: csrfTokenOf(picker.text), ...fields });
}

describe('deep linking from the sandbox course', () => {
  it('when the mentor opens it, then the picker offers modules, the reflection assignment (graded) and the CME claim page as checkboxes', async () => {
    const { agent, pickerPath } = await openPicker();
    const page = decodeHtml((await agent.get(pickerPath).expect(200)).text);
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page).toContain('<legend>Well-being modules</legend>');
    expect(page).toMatch(/type="checkbox"\s+aria-describedby="target-module-burnout-basics-hint"/);
    expect(page).toContain('<label for="target-module-burnout-basics">Burnout basics</label>');
    expect(page).toContain('Reflection assignment</label><span class="tag">Graded, out of 10</span>');
    expect(page).toContain('CME claim page');
  });

  it('when nothing is chosen, then the picker comes back (400) with an error linked to the first choice', async () => {
    const { agent, pickerPath } = await openPicker();
    const response = await choose(agent, pickerPath, { action: 'place' });
    expect(response.status).toBe(400);
    expect(response.text).toContain(
      '<a href="#target-module-burnout-basics">Choose at least one activity to add.</a>',
    );
    expect(response.text).toContain('<title>Error: Add Rounds activities · Rounds</title>');
  });

  it('when the mentor places a module and the reflection assignment, then the sandbox verifies the signed response and lists both, with a grade item for the reflection; a launch lands on the module page', async () => {
    const { agent, pickerPath, idToken } = await openPicker();
    const requestData = (decodeJwt(idToken)[`${dl}deep_linking_settings`] as { data: string }).data;
    const answer = await choose(agent, pickerPath, {
      action: 'place',
      targets: ['module:burnout-basics', 'reflection:cohort-reflection'],
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-security-policy']).toMatch(/form-action [^;]*http:\/\/127\.0\.0\.1:\d+/);
    const form = autoPostForm(answer.text);
    expect(form.action).toBe(`${rounds.sandbox!.issuer}/deeplink/return`);
    expect(answer.text).toContain('<script src="/static/lti-autosubmit.js"></script>');
    expect(answer.text).toContain('<button class="button" type="submit">Continue to your course</button>');

    // LTI Deep Linking 2.0 §4.5: what the platform receives, verified with the tool's published keys.
    const { payload, protectedHeader } = await jwtVerify(
      form.fields.JWT!,
      createRemoteJWKSet(new URL(`${rounds.url}/lti/keys`)),
      { issuer: rounds.sandbox!.clientId, audience: rounds.sandbox!.issuer },
    );
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      nonce: expect.any(String),
      [`${lti}deployment_id`]: rounds.sandbox!.deploymentId,
      [`${lti}message_type`]: 'LtiDeepLinkingResponse',
      [`${lti}version`]: '1.3.0',
      [`${dl}data`]: requestData,
      [`${dl}content_items`]: [
        {
          type: 'ltiResourceLink',
          title: 'Burnout basics',
          text: expect.any(String),
          url: `${rounds.url}/lti/launch`,
          custom: { rounds_target: 'module:burnout-basics' },
        },
        {
          type: 'ltiResourceLink',
          title: 'Reflection assignment',
          text: expect.any(String),
          url: `${rounds.url}/lti/launch`,
          custom: { rounds_target: 'reflection:cohort-reflection' },
          lineItem: {
            scoreMaximum: 10,
            label: 'Reflection assignment',
            resourceId: 'reflection:cohort-reflection',
          },
        },
      ],
    });

    const returned = await agent.post(pathOf(form.action)).type('form').send(form.fields);
    expect(returned.status).toBe(303);
    expect(returned.headers.location).toBe('/sandbox/?placed=2');
    const course = decodeHtml((await agent.get('/sandbox/?placed=2').expect(200)).text);
    expect(course).toContain('2 activities were added to the course.');
    const moduleLink = /resource_link_id=(\d+)">Launch “Burnout basics” as Marcus Lee, PharmD/.exec(
      course,
    )?.[1];
    const reflectionLink = /resource_link_id=(\d+)">Launch “Reflection assignment” as Marcus Lee/.exec(
      course,
    )?.[1];
    expect(moduleLink).toBeDefined();
    expect(reflectionLink).toBeDefined();
    const gradebook = decodeHtml((await agent.get('/sandbox/gradebook').expect(200)).text);
    expect(gradebook).toMatch(
      new RegExp(
        `Reflection assignment <span class="lms-meta">\\(out of 10\\)</span>\\s*<span[^>]*>Line item \\d+ · resource link ${reflectionLink}`,
      ),
    );

    // A learner opens the placed module from the course: the launch lands on exactly that target.
    const pharmacist = request.agent(rounds.url);
    const start = await pharmacist
      .get(`/sandbox/launch/pharmacist?resource_link_id=${moduleLink}`)
      .expect(302);
    const auth = await followLogin(pharmacist, start.headers.location!);
    const launchForm = readLaunchForm(auth.text);
    const launch = await pharmacist.post(pathOf(launchForm.action)).type('form').send(launchForm.fields);
    expect(launch.status).toBe(303);
    expect(launch.headers.location).toBe('/targets/module/burnout-basics');
    const target = await pharmacist.get(launch.headers.location!).expect(200);
    expect(target.text).toContain('<h1>Module: Burnout basics</h1>');
  });

  it('when the picker is answered a second time (back button, double click), then 409 and nothing more is sent', async () => {
    const { agent, pickerPath } = await openPicker('cmeAdmin');
    const picker = await agent.get(pickerPath).expect(200);
    const fields = { _csrf: csrfTokenOf(picker.text), action: 'place', targets: 'cme-claim:course-credit' };
    await agent.post(pickerPath).type('form').send(fields).expect(200);
    const again = await agent.post(pickerPath).type('form').set('Accept', 'text/html').send(fields);
    expect(again.status).toBe(409);
    expect(again.text).toContain('already sent to your course');
  });

  it('when the mentor cancels, then an empty response goes back and the course gets nothing', async () => {
    const { agent, pickerPath } = await openPicker();
    const answer = await choose(agent, pickerPath, { action: 'cancel' });
    expect(answer.status).toBe(200);
    const form = autoPostForm(answer.text);
    expect(decodeJwt(form.fields.JWT!)[`${dl}content_items`]).toEqual([]);
    const returned = await agent.post(pathOf(form.action)).type('form').send(form.fields).expect(303);
    expect(returned.headers.location).toBe('/sandbox/?placed=0');
  });

  it("when someone else's session opens a mentor's picker, then 404; without a session, 401", async () => {
    const { pickerPath } = await openPicker();
    const { agent: other } = await openPicker('cmeAdmin');
    await other.get(pickerPath).set('Accept', 'text/html').expect(404);
    await request(rounds.url).get(pickerPath).set('Accept', 'text/html').expect(401);
  });

  it('when a learner arrives with a deep-linking request (an LMS that lets learners add activities), then 403, no session and no request stored', async () => {
    const agent = request.agent(rounds.url);
    const initiation = rounds.sandbox!.loginInitiationUrl('physician', { resourceLinkId: 'deeplink' });
    const { state, nonce } = await beginLogin(agent, initiation);
    const claims = rounds.sandbox!.launchClaims('physician', { nonce, messageType: 'LtiDeepLinkingRequest' });
    const before = await DeepLinkRequestModel.countDocuments();
    const response = await agent
      .post('/lti/deeplink')
      .type('form')
      .set('Accept', 'text/html')
      .send({ id_token: await rounds.sandbox!.signIdToken(claims), state });
    expect(response.status).toBe(403);
    expect(response.text).toContain('Only instructors and administrators can add Rounds activities');
    expect(setCookies(response)).not.toMatch(/rounds_session=/);
    expect(await DeepLinkRequestModel.countDocuments()).toBe(before);
  });
});
