import { endpointsSchema, newPlatformSchema } from '../../../src/accounts/operator.schemas';
import { fieldErrors } from '../../../src/shared/http/fieldErrors';

const moodle = {
  issuer: 'https://moodle.example.org',
  clientId: 'abc123',
  deploymentId: '1',
  authUrl: 'https://moodle.example.org/mod/lti/auth.php',
  tokenUrl: 'https://moodle.example.org/mod/lti/token.php',
  jwksUrl: 'https://moodle.example.org/mod/lti/certs.php',
};

describe('the operator’s platform forms check what `npx rounds platform add|update` checks', () => {
  it('when every field is given, then it parses with no tenant to reuse and no name (the service then names it after the issuer’s host, as the CLI does)', () => {
    expect(newPlatformSchema.parse({ ...moodle, name: '  ' })).toEqual({ ...moodle, reuseTenants: [] });
  });

  it('when a URL field is not an http(s) URL or a text field is blank, then each field says so', () => {
    const parsed = newPlatformSchema.safeParse({
      ...moodle,
      issuer: 'moodle.example.org',
      jwksUrl: 'javascript:alert(1)',
      clientId: '   ',
    });
    expect(parsed.success).toBe(false);
    expect(Object.keys(fieldErrors(parsed.error!)).sort()).toEqual(['clientId', 'issuer', 'jwksUrl']);
  });

  it('when a lone tenant is ticked to reuse, then it is a list; a non-id is refused', () => {
    const id = '65a000000000000000000001';
    expect(newPlatformSchema.parse({ ...moodle, reuseTenants: id }).reuseTenants).toEqual([id]);
    expect(newPlatformSchema.safeParse({ ...moodle, reuseTenants: ['x'] }).success).toBe(false);
  });

  it('when the endpoints form leaves the keyset URL blank, then only that field is refused', () => {
    const parsed = endpointsSchema.safeParse({ name: 'Moodle', ...moodle, jwksUrl: '' });
    expect(fieldErrors(parsed.error!)).toEqual({ jwksUrl: 'Enter the public keyset URL.' });
  });
});
