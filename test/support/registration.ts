import request from 'supertest';
import type { Rounds } from '../../src/runtime';
import { attributeOf } from './html';
import type { Agent } from './launch';

/**
 * The sandbox LMS's "Register a tool by URL" for Rounds: returns the URL the LMS frames (Rounds'
 * /lti/register with the LMS's OpenID configuration and a one-time registration token). Nothing is registered
 * until that URL is opened.
 */
export async function startRegistrationInSandbox(rounds: Rounds, agent: Agent = request.agent(rounds.url)) {
  const page = await agent
    .post('/sandbox/tools')
    .type('form')
    .send({ registrationUrl: `${rounds.url}/lti/register` })
    .expect(200);
  const frameUrl = attributeOf(page.text, 'iframe', 'src');
  if (!frameUrl) throw new Error('no registration frame on the sandbox page:\n' + page.text.slice(0, 500));
  return new URL(frameUrl);
}

/** Rounds' Dynamic Registration page as an LMS opens it: with its OpenID configuration URL and a token. */
export function openRegistration(rounds: Rounds, configurationUrl: string, registrationToken = 'token-1') {
  return request(rounds.url)
    .get('/lti/register')
    .query({ openid_configuration: configurationUrl, registration_token: registrationToken })
    .set('Accept', 'text/html');
}

/** The OpenID configuration of an LMS at `origin` (issuer `issuer`), its endpoint paths ending in `suffix`. */
export function openidConfiguration(
  issuer: string,
  origin: string,
  suffix = '',
  registrationEndpoint?: string,
) {
  return {
    issuer,
    authorization_endpoint: `${origin}/auth${suffix}`,
    token_endpoint: `${origin}/token${suffix}`,
    jwks_uri: `${origin}/jwks${suffix}`,
    registration_endpoint: registrationEndpoint ?? `${origin}/register`,
  };
}
