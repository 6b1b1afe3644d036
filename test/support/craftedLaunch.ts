import type { Rounds } from '../../src/runtime';
import { AuditCountModel } from '../../src/shared/audit/audit.model';
import { SessionModel } from '../../src/shared/auth/session.model';
import { CourseModel } from '../../src/tenancy/course.model';
import { EnrollmentModel } from '../../src/tenancy/enrollment.model';
import { TenantModel } from '../../src/tenancy/tenant.model';
import { UserModel } from '../../src/tenancy/user.model';
import { LoginStateModel } from '../../src/lti/launch/loginState.model';
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

/** How many records of each kind a login or launch could write. */
export async function storedCounts() {
  return {
    users: await UserModel.countDocuments(),
    tenants: await TenantModel.countDocuments(),
    courses: await CourseModel.countDocuments(),
    enrollments: await EnrollmentModel.countDocuments(),
    sessions: await SessionModel.countDocuments(),
    loginStates: await LoginStateModel.countDocuments(),
    auditDocuments: await AuditCountModel.countDocuments(),
  };
}

/** The audit counts, summed over their hours, by "type reason issuer clientId" (`-` for none). */
export type AuditTotals = Record<string, number>;

export function auditKey(type: string, reason: string, issuer?: string | null, clientId?: string | null) {
  return `${type} ${reason} ${issuer || '-'} ${clientId || '-'}`;
}

export async function auditTotals(): Promise<AuditTotals> {
  const totals: AuditTotals = {};
  for (const row of await AuditCountModel.find().lean()) {
    const key = auditKey(row.type, row.reason, row.issuer, row.clientId);
    totals[key] = (totals[key] ?? 0) + row.count;
  }
  return totals;
}

/** What the audit counted since `before` was read: only the keys that grew, by how much. */
export async function auditAddedSince(before: AuditTotals): Promise<AuditTotals> {
  const added: AuditTotals = {};
  for (const [key, total] of Object.entries(await auditTotals())) {
    if (total !== (before[key] ?? 0)) added[key] = total - (before[key] ?? 0);
  }
  return added;
}

/** Set-Cookie headers of a response, joined. */
export function setCookies(response: { headers: Record<string, unknown> }): string {
  return ([] as string[]).concat((response.headers['set-cookie'] as string[] | undefined) ?? []).join(';');
}
