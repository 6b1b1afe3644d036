import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import request from 'supertest';
import { DeepLinkRequestModel } from '../../../../src/lti/deeplink/deeplink.model';
import {
  autoPostForm,
  craftLaunch,
  decodeHtml,
  launchAs,
  openForm,
  pathOf,
  postForm,
  postLaunch,
  setCookies,
  useTestRounds,
  type Agent,
} from '../../../support';

// Deep Linking 2.0 end to end over HTTP: the sandbox's "Add an activity (deep linking)" as the mentor → Rounds'
// picker → a signed LtiDeepLinkingResponse posted back to the sandbox, which verifies it against /lti/keys and
// places the activities (with a grade item for the gradable one) → launching a placed activity lands on its page.

const lti = 'https://purl.imsglobal.org/spec/lti/claim/';
const dl = 'https://purl.imsglobal.org/spec/lti-dl/claim/';
const rounds = useTestRounds();

/** The mentor opens deep linking from the sandbox course; returns the agent, the picker's path and the id_token. */
async function openPicker(person: 'mentor' | 'cmeAdmin' = 'mentor') {
  const { agent, launch, form } = await launchAs(rounds, person, { deepLinking: true });
  expect(form.action).toBe(`${rounds.url}/lti/deeplink`);
  expect(launch.status).toBe(303);
  expect(launch.headers.location).toMatch(/^\/lti\/deeplink\/[0-9a-f]{24}$/);
  return { agent, pickerPath: launch.headers.location!, idToken: form.fields.id_token! };
}

/** Answers the picker as its form does (with its CSRF token). */
function choose(agent: Agent, pickerPath: string, fields: Record<string, string | string[]>) {
  return postForm(agent, pickerPath, pickerPath, fields);
}

describe('deep linking from the sandbox course', () => {
  it('when the mentor opens it, then the picker offers modules, the reflection assignment (graded) and the CME claim page as checkboxes', async () => {
    const { agent, pickerPath } = await openPicker();
    const page = decodeHtml((await agent.get(pickerPath).expect(200)).text);
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page).toContain('<legend>Well-being modules</legend>');
    expect(page).toMatch(/type="checkbox"\s+aria-describedby="target-module-stress-first-aid-hint"/);
    expect(page).toContain(
      '<label for="target-module-stress-first-aid">Stress First Aid for clinical teams</label><span class="tag">Graded, out of 100</span>',
    );
    expect(page).toContain('Reflection assignment</label><span class="tag">Graded, out of 10</span>');
    expect(page).toContain('CME claim page');
  });

  it('when nothing is chosen, then the picker comes back (400) with an error linked to the first choice', async () => {
    const { agent, pickerPath } = await openPicker();
    const response = await choose(agent, pickerPath, { action: 'place' });
    expect(response.status).toBe(400);
    expect(response.text).toContain(
      '<a href="#target-module-after-a-hard-case">Choose at least one activity to add.</a>',
    );
    expect(response.text).toContain('<title>Error: Add Rounds activities · Rounds</title>');
  });
});

describe('when the mentor places a module and the reflection assignment', () => {
  let requestData: string;
  let answer: request.Response;
  let form: ReturnType<typeof autoPostForm>;
  let returned: request.Response;

  beforeAll(async () => {
    const { agent, pickerPath, idToken } = await openPicker();
    requestData = (decodeJwt(idToken)[`${dl}deep_linking_settings`] as { data: string }).data;
    answer = await choose(agent, pickerPath, {
      action: 'place',
      targets: ['module:stress-first-aid', 'reflection:cohort-reflection'],
    });
    form = autoPostForm(answer.text);
    returned = await agent.post(pathOf(form.action)).type('form').send(form.fields);
  });

  it('then Rounds answers with a page that posts the response to the sandbox, which its CSP allows', () => {
    expect(answer.status).toBe(200);
    expect(answer.headers['content-security-policy']).toMatch(/form-action [^;]*http:\/\/127\.0\.0\.1:\d+/);
    expect(form.action).toBe(`${rounds.sandbox!.issuer}/deeplink/return`);
    expect(answer.text).toContain('<script src="/static/lti-autosubmit.js"></script>');
    expect(answer.text).toContain('<button class="button" type="submit">Continue to your course</button>');
  });

  it('then the response verifies with Rounds’ published keys and carries both items, the reflection with a line item', async () => {
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
          title: 'Stress First Aid for clinical teams',
          text: expect.any(String),
          url: `${rounds.url}/lti/launch`,
          custom: { rounds_target: 'module:stress-first-aid' },
          lineItem: {
            scoreMaximum: 100,
            label: 'Stress First Aid for clinical teams',
            resourceId: 'module:stress-first-aid',
          },
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
  });

  it('then the sandbox accepts it and lists both, with a grade item for the reflection', async () => {
    expect(returned.status).toBe(303);
    expect(returned.headers.location).toBe('/sandbox/?placed=2');
    const course = decodeHtml((await request(rounds.url).get('/sandbox/?placed=2').expect(200)).text);
    expect(course).toContain('2 activities were added to the course.');
    const reflectionLink = /resource_link_id=(\d+)">Launch “Reflection assignment” as Marcus Lee/.exec(
      course,
    )?.[1];
    expect(reflectionLink).toBeDefined();
    const gradebook = decodeHtml((await request(rounds.url).get('/sandbox/gradebook').expect(200)).text);
    expect(gradebook).toMatch(
      new RegExp(
        `Reflection assignment <span class="lms-meta">\\(out of 10\\)</span>\\s*<span[^>]*>Line item \\d+ · resource link ${reflectionLink}`,
      ),
    );
  });

  it('then a learner who launches the placed module from the course lands on exactly that module', async () => {
    const course = decodeHtml((await request(rounds.url).get('/sandbox/').expect(200)).text);
    const moduleLink =
      /resource_link_id=(\d+)">Launch “Stress First Aid for clinical teams” as Marcus Lee, PharmD/.exec(
        course,
      )?.[1];
    expect(moduleLink).toBeDefined();
    const { agent, launch } = await launchAs(rounds, 'pharmacist', { resourceLinkId: moduleLink });
    expect(launch.status).toBe(303);
    expect(launch.headers.location).toBe('/targets/module/stress-first-aid');
    const target = await agent.get(launch.headers.location!).expect(200);
    expect(target.text).toContain('<h1>Stress First Aid for clinical teams</h1>');
  });
});

describe('deep linking answered twice, cancelled, or opened by someone else', () => {
  it('when the picker is answered a second time (back button, double click), then 409 and nothing more is sent', async () => {
    const { agent, pickerPath } = await openPicker('cmeAdmin');
    const { csrf } = await openForm(agent, pickerPath);
    const fields = { _csrf: csrf, action: 'place', targets: 'cme-claim:course-credit' };
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
    const { agent, fields } = await craftLaunch(rounds, {
      person: 'physician',
      messageType: 'LtiDeepLinkingRequest',
    });
    const before = await DeepLinkRequestModel.countDocuments();
    const response = await postLaunch(agent, fields, '/lti/deeplink');
    expect(response.status).toBe(403);
    expect(response.text).toContain('Only instructors and administrators can add Rounds activities');
    expect(setCookies(response)).not.toMatch(/rounds_session=/);
    expect(await DeepLinkRequestModel.countDocuments()).toBe(before);
  });
});
