import request from 'supertest';
import { loadConfig } from '../../src/config';
import { PlatformModel } from '../../src/lti/platform.model';
import { startRounds, type Rounds } from '../../src/runtime';
import { createLogger } from '../../src/shared/logger';
import { testDatabaseUri } from '../support/database';

// Outside development and tests, Dynamic Registration insists on HTTPS. This Rounds runs with env 'production'
// (config otherwise as in tests, sandbox on for an LMS to register against) to show it over real HTTP.

let rounds: Rounds;

beforeAll(async () => {
  const config = loadConfig({ port: 0, mongodbUri: testDatabaseUri() });
  rounds = await startRounds({ ...config, env: 'production' }, createLogger(config.logLevel));
});

afterAll(async () => {
  await rounds.close();
});

describe('Dynamic Registration in production', () => {
  it('when the LMS offers its OpenID configuration over plain HTTP, then Rounds refuses without fetching it and stores nothing', async () => {
    const before = await PlatformModel.countDocuments();
    const response = await request(rounds.url)
      .get('/lti/register')
      .query({
        openid_configuration: `${rounds.sandbox!.issuer}/openid-configuration`,
        registration_token: 'token-1',
      })
      .set('Accept', 'text/html');
    expect(response.status).toBe(400);
    expect(response.text).toContain('OpenID configuration URL must use HTTPS');
    expect(await PlatformModel.countDocuments()).toBe(before);
  });

  it.each([
    ['the cloud metadata address', 'https://169.254.169.254/latest/openid-configuration'],
    ['a name that resolves to loopback', 'https://localhost/lms/openid-configuration'],
    ['a private network address', 'https://10.1.2.3/openid-configuration'],
    ['an IPv6 loopback', 'https://[::1]/openid-configuration'],
  ])(
    'when the OpenID configuration URL points at %s, then Rounds refuses without calling it and stores nothing',
    async (_what, url) => {
      const before = await PlatformModel.countDocuments();
      const response = await request(rounds.url)
        .get('/lti/register')
        .query({ openid_configuration: url, registration_token: 'token-1' })
        .set('Accept', 'text/html');
      expect(response.status).toBe(400);
      expect(response.text).toContain('is on a private or local address');
      expect(await PlatformModel.countDocuments()).toBe(before);
    },
  );
});
