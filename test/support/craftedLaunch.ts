import mongoose from 'mongoose';
import type { Rounds } from '../../src/runtime';
import { AuditEventModel } from '../../src/shared/audit/audit.model';
import { SessionModel } from '../../src/shared/auth/session.model';
import { CourseModel } from '../../src/tenancy/course.model';
import { EnrollmentModel } from '../../src/tenancy/enrollment.model';
import { TenantModel } from '../../src/tenancy/tenant.model';
import { UserModel } from '../../src/tenancy/user.model';
import { LoginStateModel } from '../../src/lti/loginState.model';
import { pathOf, type Agent } from './launch';

export const ltiClaim = 'https://purl.imsglobal.org/spec/lti/claim/';

/**
 * Starts a real OIDC login at Rounds from an initiation URL and stops where the browser would go to the
 * platform: returns the state and nonce Rounds put in the authentication request (the agent keeps the cookie).
 */
export async function beginLogin(agent: Agent, initiationUrl: string) {
  const login = await agent.get(pathOf(initiationUrl)).expect(302);
  const check = await agent.get(login.headers.location!).expect(302);
  const auth = new URL(check.headers.location!);
  return { state: auth.searchParams.get('state')!, nonce: auth.searchParams.get('nonce')!, auth };
}

/** Begins a login as a sandbox person, like the course page's "Launch as …" button. */
export function beginSandboxLogin(rounds: Rounds, agent: Agent, person: 'nurse' | 'mentor' = 'nurse') {
  return beginLogin(agent, rounds.sandbox!.loginInitiationUrl(person));
}

/** Posts an id_token to the launch URL as the platform's auto-submitting form does. */
export function postLaunch(agent: Agent, fields: Record<string, string>) {
  return agent.post('/lti/launch').type('form').set('Accept', 'text/html').send(fields);
}

/** How many records of each kind a login or launch could write, Rounds' and ltijs' alike. */
export async function storedCounts() {
  const db = mongoose.connection.db!;
  return {
    users: await UserModel.countDocuments(),
    tenants: await TenantModel.countDocuments(),
    courses: await CourseModel.countDocuments(),
    enrollments: await EnrollmentModel.countDocuments(),
    sessions: await SessionModel.countDocuments(),
    idTokens: await db.collection('idtokens').countDocuments(),
    contextTokens: await db.collection('contexttokens').countDocuments(),
    ltijsNonces: await db.collection('nonces').countDocuments(),
    loginStates: await LoginStateModel.countDocuments(),
    auditEvents: await AuditEventModel.countDocuments(),
  };
}

/** The audit records written since `since`, oldest first. */
export async function auditSince(since: Date) {
  return AuditEventModel.find({ at: { $gte: since } }, { _id: 0, type: 1, reason: 1, issuer: 1 })
    .sort({ at: 1 })
    .lean();
}

/** Set-Cookie headers of a response, joined. */
export function setCookies(response: { headers: Record<string, unknown> }): string {
  return ([] as string[]).concat((response.headers['set-cookie'] as string[] | undefined) ?? []).join(';');
}
