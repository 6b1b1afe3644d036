import request from 'supertest';
import { PlatformModel } from '../../../../src/lti/registration/platform.model';
import {
  registerPlatform,
  removePlatform,
  setPlatformActive,
} from '../../../../src/lti/registration/platform.service';
import { ltiClaim, postCraftedLaunch, useTestRounds, withBrokenSignature } from '../../../support';

// Canvas signs its launches as https://canvas.instructure.com but shows them in a frame on the school's own
// domain. Rounds learns that domain from the signed launch, so CSP frame-ancestors lets the LMS frame it.

const rounds = useTestRounds();

function frameAncestors(response: request.Response): string {
  const csp = String(response.headers['content-security-policy'] ?? '');
  return /frame-ancestors ([^;]*)/.exec(csp)?.[1] ?? '';
}

/** A launch as the nurse whose launch_presentation return URL is on `returnOrigin`; `tamper` breaks its signature. */
function launchReturningTo(returnOrigin: string, options: { tamper?: boolean } = {}) {
  return postCraftedLaunch(rounds, {
    claims: (claims) =>
      (claims[`${ltiClaim}launch_presentation`] = {
        document_target: 'iframe',
        return_url: `${returnOrigin}/courses/17/external_content/success/external_tool_redirect`,
      }),
    sign: async (claims) => {
      const idToken = await rounds.sandbox!.signIdToken(claims);
      return options.tamper ? withBrokenSignature(idToken) : idToken;
    },
  });
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

describe('who may widen the policy (finding 4)', () => {
  const registration = (clientId: string, origin: string) => ({
    issuer: origin,
    clientId,
    deploymentIds: ['1'],
    name: clientId,
    authUrl: `${origin}/auth`,
    tokenUrl: `${origin}/token`,
    jwksUrl: `${origin}/jwks`,
  });

  it('when an unauthenticated registration creates an inactive platform, then its origin frames nothing; once activated it does', async () => {
    const pending = registration('pending-lms', 'https://pending.lms.example');
    await registerPlatform(pending, { registeredBy: 'dynamic-registration' });
    try {
      expect(frameAncestors(await request(rounds.url).get('/about'))).not.toContain(pending.issuer);
      await setPlatformActive(pending.issuer, pending.clientId, true);
      expect(frameAncestors(await request(rounds.url).get('/about'))).toContain(pending.issuer);
    } finally {
      await removePlatform(pending.issuer, pending.clientId);
    }
  });

  it("when someone is signed in, then only their own platform's origins may frame or receive forms, not another tenant's", async () => {
    const other = registration('other-hospital', 'https://other-hospital.example');
    await registerPlatform(other);
    try {
      expect(frameAncestors(await request(rounds.url).get('/about'))).toContain(other.issuer);
      const { agent } = await launchReturningTo(rounds.sandbox!.issuer);
      const home = await agent.get('/home').expect(200);
      expect(frameAncestors(home)).toContain(new URL(rounds.sandbox!.issuer).origin);
      expect(frameAncestors(home)).not.toContain(other.issuer);
      expect(String(home.headers['content-security-policy'])).not.toMatch(/form-action[^;]*other-hospital/);
    } finally {
      await removePlatform(other.issuer, other.clientId);
    }
  });
});
