import { redactUrl } from '../../../src/shared/http/requestLog';

describe('request log URLs', () => {
  it.each([
    ['/set-password/abcDEF123', '/set-password/[redacted]'],
    ['/invitations/abcDEF123?x=1', '/invitations/[redacted]?x=1'],
    ['/INVITATIONS/abcDEF123', '/INVITATIONS/[redacted]'],
    ['/calendar/abcDEF123.ics', '/calendar/[redacted]'],
  ])('when a secret link %s is logged, then its token is not', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });

  it('when a cohort page is logged, then its path is kept as it was', () => {
    expect(redactUrl('/cohorts/65a1b2c3d4e5f60718293a4b/invitations')).toBe(
      '/cohorts/65a1b2c3d4e5f60718293a4b/invitations',
    );
  });
});
