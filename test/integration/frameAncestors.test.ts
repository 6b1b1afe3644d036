import request from 'supertest';
import type { Rounds } from '../../src/runtime';
import { PlatformModel } from '../../src/lti/platform.model';
import { startTestRounds } from '../support/rounds';
import { beginSandboxLogin, ltiClaim, postLaunch } from '../support/craftedLaunch';

// Canvas signs its launches as https://canvas.instructure.com but shows them in a frame on the school's own
// domain. Rounds learns that domain from the signed launch, so CSP frame-ancestors lets the LMS frame it.

let rounds: Rounds;

beforeAll(async () => {
  rounds = await startTestRounds();
});

afterAll(async () => {
  await rounds.close();
});

function frameAncestors(response: request.Response): string {
  const csp = String(response.headers['content-security-policy'] ?? '');
  return /frame-ancestors ([^;]*)/.exec(csp)?.[1] ?? '';
}

/** A launch as the nurse whose launch_presentation return URL is on `returnOrigin`; `tamper` breaks its signature. */
async function launchReturningTo(returnOrigin: string, options: { tamper?: boolean } = {}) {
  const agent = request.agent(rounds.url);
  const { state, nonce } = await beginSandboxLogin(rounds, agent);
  const claims = rounds.sandbox!.launchClaims('nurse', { nonce });
  claims[`${ltiClaim}launch_presentation`] = {
    document_target: 'iframe',
    return_url: `${returnOrigin}/courses/17/external_content/success/external_tool_redirect`,
  };
  let idToken = await rounds.sandbox!.signIdToken(claims);
  if (options.tamper) idToken = `${idToken.slice(0, -2)}${idToken.endsWith('A') ? 'BB' : 'AA'}`;
  return { agent, launch: await postLaunch(agent, { id_token: idToken, state }) };
}

describe('which LMS pages may frame Rounds', () => {
  it('when a launch names the school domain it was shown on, then Rounds pages may be framed from there', async () => {
    const before = frameAncestors(await request(rounds.url).get('/about'));
    expect(before).not.toContain('https://school.lms.example');

    const { agent, launch } = await launchReturningTo('https://school.lms.example');
    expect(launch.status).toBe(303);
    const home = await agent.get('/home').expect(200);
    expect(frameAncestors(home)).toContain('https://school.lms.example');
    const platform = await PlatformModel.findOne({ issuer: rounds.sandbox!.issuer }).lean();
    expect(platform!.webOrigins).toContain('https://school.lms.example');
  });

  it('when a launch with a broken signature names another domain, then it is refused and that domain gains nothing', async () => {
    const { launch } = await launchReturningTo('https://attacker.example', { tamper: true });
    expect(launch.status).toBe(401);
    expect(frameAncestors(await request(rounds.url).get('/about'))).not.toContain('https://attacker.example');
    const platform = await PlatformModel.findOne({ issuer: rounds.sandbox!.issuer }).lean();
    expect(platform!.webOrigins).not.toContain('https://attacker.example');
  });
});
