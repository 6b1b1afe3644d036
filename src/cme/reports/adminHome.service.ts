import { DateTime } from 'luxon';
import { tenantTimeZone } from '../../tenancy';
import { CmeActivityModel, LedgerEntryModel, type CmeAdmin } from '../core';

export interface CmeAdminHome {
  adminName: string;
  timeZone: string;
  monthLabel: string;
  activities: { published: number; draft: number; closed: number };
  claimsThisMonth: number;
  correctionsThisMonth: number;
}

/**
 * What the CME admin home shows beside its links: the tenant's activities by the status of their latest version,
 * and this month's ledger entries (claims, and revocations + reissues), the month in the tenant's zone.
 */
export async function cmeAdminHome(admin: CmeAdmin): Promise<CmeAdminHome> {
  const timeZone = await tenantTimeZone(admin.tenantId);
  const monthStart = DateTime.now().setZone(timeZone).startOf('month');
  const [versions, entries] = await Promise.all([
    CmeActivityModel.find({ tenantId: admin.tenantId })
      .select('key version status')
      .sort({ version: 1 })
      .lean(),
    LedgerEntryModel.find({ tenantId: admin.tenantId, recordedAt: { $gte: monthStart.toJSDate() } })
      .select('kind')
      .lean(),
  ]);
  const latest = new Map<string, string>();
  for (const version of versions) latest.set(version.key, version.status ?? 'draft');
  const statuses = [...latest.values()];
  const count = (status: string) => statuses.filter((item) => item === status).length;
  return {
    adminName: admin.name,
    timeZone,
    monthLabel: monthStart.setLocale('en-US').toFormat('LLLL yyyy'),
    activities: { published: count('published'), draft: count('draft'), closed: count('closed') },
    claimsThisMonth: entries.filter((entry) => entry.kind === 'claim').length,
    correctionsThisMonth: entries.filter((entry) => entry.kind !== 'claim').length,
  };
}
