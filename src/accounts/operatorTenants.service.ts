import { DateTime } from 'luxon';
import { listPlatforms } from '../lti/registration';
import type { AccountActor } from '../shared/auth/actor';
import { CourseModel, TenantModel, UserModel } from '../tenancy';
import { AccountModel } from './account.model';
import { assertOperator } from './operator.policy';

/** A tenant-scoped grant as the tenants page lists it. */
export interface TenantGrantView {
  email: string;
  name: string;
  role: 'tenant-admin' | 'cme-admin';
  roleLabel: string;
}

/** One tenant (an LMS deployment that launched Rounds) as the operator sees it. */
export interface TenantView {
  id: string;
  lmsName: string;
  issuer: string;
  clientId: string;
  deploymentId: string;
  /** The platform's state: its launches are accepted only while it is registered and active. */
  platformState: 'active' | 'inactive' | 'removed';
  platformStateLabel: string;
  created: { iso: string; text: string };
  users: number;
  courses: number;
  grants: TenantGrantView[];
}

const grantLabels = { 'tenant-admin': 'Tenant admin', 'cme-admin': 'CME admin' } as const;
const stateLabels = { active: 'Active', inactive: 'Inactive', removed: 'Platform removed' } as const;

/** How many documents of `model` each tenant holds, in one grouped query (no per-tenant scan). */
async function countsByTenant(model: typeof UserModel | typeof CourseModel): Promise<Map<string, number>> {
  const rows = (await model.aggregate([{ $group: { _id: '$tenantId', count: { $sum: 1 } } }])) as {
    _id: unknown;
    count: number;
  }[];
  return new Map(rows.map((row) => [String(row._id), row.count]));
}

/** Accounts granted a tenant-scoped admin role, per tenant id. */
async function grantsByTenant(): Promise<Map<string, TenantGrantView[]>> {
  const accounts = await AccountModel.find(
    { 'grants.role': { $in: ['tenant-admin', 'cme-admin'] } },
    { email: 1, name: 1, grants: 1 },
  )
    .sort({ email: 1 })
    .lean();
  const byTenant = new Map<string, TenantGrantView[]>();
  for (const account of accounts) {
    for (const grant of account.grants) {
      if ((grant.role !== 'tenant-admin' && grant.role !== 'cme-admin') || !grant.tenantId) continue;
      const key = String(grant.tenantId);
      const list = byTenant.get(key) ?? [];
      list.push({
        email: account.email,
        name: account.name,
        role: grant.role,
        roleLabel: grantLabels[grant.role],
      });
      byTenant.set(key, list);
    }
  }
  return byTenant;
}

/**
 * Every tenant of the installation with its LMS, when it first launched (UTC: the operator serves many time
 * zones), how many people and courses it holds, and which Rounds accounts administer it.
 */
export async function tenantsOverview(account: AccountActor | undefined): Promise<TenantView[]> {
  assertOperator(account);
  const [tenants, platforms, users, courses, grants] = await Promise.all([
    TenantModel.find().sort({ issuer: 1, clientId: 1, deploymentId: 1 }).lean(),
    listPlatforms(),
    countsByTenant(UserModel),
    countsByTenant(CourseModel),
    grantsByTenant(),
  ]);
  return tenants.map((tenant) => {
    const id = String(tenant._id);
    const platform = platforms.find((p) => p.issuer === tenant.issuer && p.clientId === tenant.clientId);
    const platformState = !platform ? 'removed' : platform.active ? 'active' : 'inactive';
    const created = DateTime.fromJSDate(tenant.createdAt, { zone: 'utc' });
    return {
      id,
      lmsName: tenant.platformName || platform?.name || tenant.issuer,
      issuer: tenant.issuer,
      clientId: tenant.clientId,
      deploymentId: tenant.deploymentId,
      platformState,
      platformStateLabel: stateLabels[platformState],
      created: { iso: created.toISO() ?? '', text: created.toFormat("d LLL yyyy, HH:mm 'UTC'") },
      users: users.get(id) ?? 0,
      courses: courses.get(id) ?? 0,
      grants: grants.get(id) ?? [],
    };
  });
}
