import { landingPathFor } from '../../../../src/lti/deeplink/deeplink.service';
import type { LaunchClaims } from '../../../../src/lti/launch.types';

function claims(overrides: Partial<LaunchClaims>): LaunchClaims {
  return {
    issuer: 'https://moodle.example.org',
    clientId: 'client',
    deploymentId: '1',
    subject: '3',
    name: 'Nora Okafor',
    givenName: 'Nora',
    familyName: 'Okafor',
    email: '',
    platformName: '',
    roles: [],
    messageType: 'LtiResourceLinkRequest',
    context: { id: '7', title: '', label: '' },
    custom: {},
    webOrigins: [],
    ...overrides,
  };
}

describe('where a launch of a placed activity lands', () => {
  it.each([
    ['module:burnout-basics', '/targets/module/burnout-basics'],
    [' reflection:cohort-reflection ', '/targets/reflection/cohort-reflection'],
    ['cme-claim:course-credit', '/targets/cme-claim/course-credit'],
    // Read without the database: the module page itself answers 404 for a module the tenant does not have.
    ['module:no-such-module', '/targets/module/no-such-module'],
    ['module:../../admin', undefined],
    ['module', undefined],
    ['../../admin/platforms', undefined],
  ])('when rounds_target is %j, then it lands on %s', (value, path) => {
    expect(landingPathFor(claims({ custom: { rounds_target: value } }))).toBe(path);
  });

  it('when the launch has no rounds_target, or is a deep-linking request, then it has no target page', () => {
    expect(landingPathFor(claims({}))).toBeUndefined();
    expect(
      landingPathFor(
        claims({ messageType: 'LtiDeepLinkingRequest', custom: { rounds_target: 'module:burnout-basics' } }),
      ),
    ).toBeUndefined();
  });
});
