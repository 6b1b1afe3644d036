import {
  configurationMatchesIssuer,
  toolRegistrationFor,
} from '../../../../src/lti/registration/registration.service';

describe('the issuer check of Dynamic Registration (DR 1.0 §3.5.1)', () => {
  it.each([
    ['https://moodle.example.org', 'https://moodle.example.org/mod/lti/openid-configuration.php', true],
    ['https://moodle.example.org/', 'https://moodle.example.org/mod/lti/openid-configuration.php', true],
    [
      'https://lms.example.org/moodle',
      'https://lms.example.org/moodle/mod/lti/openid-configuration.php',
      true,
    ],
    ['https://lms.example.org/moodle', 'https://lms.example.org/moodle2/openid-configuration', false],
    ['https://moodle.example.org', 'https://moodle.example.org.evil.test/openid-configuration', false],
    ['https://moodle.example.org', 'http://moodle.example.org/openid-configuration', false],
    [
      'https://canvas.instructure.com',
      'https://school.instructure.com/api/lti/security/openid-configuration',
      false,
    ],
    ['not a url', 'https://moodle.example.org/openid-configuration', false],
  ])('when the issuer is %s and the configuration is at %s, then it matches: %s', (issuer, url, matches) => {
    expect(configurationMatchesIssuer(new URL(url), issuer)).toBe(matches);
  });
});

describe("Rounds' tool registration", () => {
  it('when built for https://rounds.example.org, then it asks only for the scopes and claims Rounds uses, with both messages', () => {
    const registration = toolRegistrationFor('https://rounds.example.org');
    expect(registration).toMatchObject({
      jwks_uri: 'https://rounds.example.org/lti/keys',
      initiate_login_uri: 'https://rounds.example.org/lti/login',
      redirect_uris: ['https://rounds.example.org/lti/launch', 'https://rounds.example.org/lti/deeplink'],
      token_endpoint_auth_method: 'private_key_jwt',
      grant_types: ['implicit', 'client_credentials'],
      response_types: ['id_token'],
    });
    expect(registration.scope.split(' ').sort()).toEqual([
      'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
      'https://purl.imsglobal.org/spec/lti-ags/scope/score',
      'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
    ]);
    const tool = registration['https://purl.imsglobal.org/spec/lti-tool-configuration'];
    expect(tool.domain).toBe('rounds.example.org');
    expect(tool.claims).toEqual(['iss', 'sub', 'name', 'given_name', 'family_name', 'email']);
    expect(tool.messages.map((message) => [message.type, message.target_link_uri])).toEqual([
      ['LtiResourceLinkRequest', 'https://rounds.example.org/lti/launch'],
      ['LtiDeepLinkingRequest', 'https://rounds.example.org/lti/deeplink'],
    ]);
  });
});
