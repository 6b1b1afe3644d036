import type { Response } from 'supertest';
import { LoginStateModel } from '../../src/lti/launch/loginState.model';
import { AuditCountModel } from '../../src/shared/audit/audit.model';
import { SessionModel } from '../../src/shared/auth/session.model';
import { CourseModel } from '../../src/tenancy/course.model';
import { EnrollmentModel } from '../../src/tenancy/enrollment.model';
import { TenantModel } from '../../src/tenancy/tenant.model';
import { UserModel } from '../../src/tenancy/user.model';
import { setCookies } from './launch';

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

/** What is stored before a refusal: the records a login or launch could write, and the audit counts. */
export async function storedBefore() {
  return { counts: await storedCounts(), audit: await auditTotals() };
}

/**
 * Then: Rounds' refusal page — the status, a plain HTML page naming the reason (`reference: …`) and what to tell
 * the LMS admin, no redirect and no session cookie.
 */
export function expectRefusalPage(response: Response, status: number, reason: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/text\/html/);
  expect(response.text).toContain(`reference: ${reason}`);
  expect(response.text).toContain('tell your LMS administrator');
  expect(response.headers.location).toBeUndefined();
  expect(setCookies(response)).not.toMatch(/rounds_session=/);
}

/**
 * Then: nothing was stored since `before` but one more in the hour's audit count of `type`/`reason` for the LMS
 * (its document is new only for the hour's first; a refusal may use up the login's state). An LMS the request
 * only claimed is counted without its name, since each made-up one would add a document.
 */
export async function expectOnlyAudited(
  before: Awaited<ReturnType<typeof storedBefore>>,
  type: 'lti.login_refused' | 'lti.launch_refused',
  reason: string,
  platform: { issuer?: string | null; clientId?: string | null } = {},
): Promise<void> {
  const after = await storedCounts();
  expect(after.loginStates).toBeLessThanOrEqual(before.counts.loginStates);
  expect(after.auditDocuments).toBeLessThanOrEqual(before.counts.auditDocuments + 1);
  const unchanged = { loginStates: 0, auditDocuments: 0 };
  expect({ ...after, ...unchanged }).toEqual({ ...before.counts, ...unchanged });
  expect(await auditAddedSince(before.audit)).toEqual({
    [auditKey(type, reason, platform.issuer, platform.clientId)]: 1,
  });
}
