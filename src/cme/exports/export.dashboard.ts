import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import { tenantTimeZone } from '../../tenancy';
import { daysBetween } from './export.formats';
import type { ReportingBody } from './export.model';
import { ActivityVersions } from './export.activities';
import { pendingParsDeletes } from './export.deletes';
import { reportedEntryIds } from './export.receipts';
import { ProfilesAsOf, ledgerBatches, revocationsAsOf } from './export.rows';
import type { LedgerRow, ReportingProfile } from './export.types';

// The numbers the CME coordinator looks at every week (issue 14, item 4): what is still to report to each body,
// and which pharmacists' claims are running out of CPE Monitor's 60-day window.

/** The dashboard looks back a year: older claims are a matter for the audit log, not this week's work. */
const monthsBack = 12;

/** The body an entry would be reported to, and whether its learner consents to that body now. */
function bodyFor(entry: LedgerRow, profile: ReportingProfile | null): ReportingBody | undefined {
  if (!profile) return undefined;
  if (entry.creditType === 'ama-pra-1' && profile.consents.pars) return 'pars';
  if (entry.creditType === 'acpe' && profile.consents.cpeMonitor) return 'cpe-monitor';
  if (entry.creditType === 'ancc' && entry.profession === 'nurse' && profile.consents.ceBroker)
    return 'ce-broker';
  return undefined;
}

interface Window {
  timeZone: string;
  today: string;
  since: string;
}

async function windowOf(tenantId: string, now: Date): Promise<Window> {
  const timeZone = await tenantTimeZone(tenantId);
  const today = DateTime.fromJSDate(now, { zone: timeZone });
  return { timeZone, today: today.toISODate()!, since: today.minus({ months: monthsBack }).toISODate()! };
}

/**
 * The claims (and reissues) of the last 12 months that could be reported to a body, oldest first: not revoked,
 * the learner consenting to that body now. Read in batches like an export; `visit` sees each with its body.
 */
async function forEachReportable(
  tenantId: string,
  now: Date,
  revoked: Map<string, string>,
  query: Record<string, unknown>,
  visit: (
    entry: LedgerRow,
    body: ReportingBody,
    profile: ReportingProfile,
    activities: ActivityVersions,
  ) => void,
): Promise<void> {
  const profiles = new ProfilesAsOf(tenantId, now);
  const activities = new ActivityVersions(tenantId, now);
  const filter = {
    tenantId: new mongoose.Types.ObjectId(tenantId),
    kind: { $in: ['claim', 'reissue'] },
    recordedAt: { $lte: now },
    ...query,
  };
  const fields = [
    'userId',
    'creditType',
    'profession',
    'completionDate',
    'learnerName',
    'activityId',
    'number',
  ];
  for await (const batch of ledgerBatches(filter, fields)) {
    await Promise.all([profiles.prepare(batch), activities.prepare(batch)]);
    for (const entry of batch) {
      if (revoked.has(entry._id.toHexString())) continue;
      const profile = profiles.get(entry.userId);
      const body = bodyFor(entry, profile);
      if (body) visit(entry, body, profile!, activities);
    }
  }
}

/**
 * Per body: claims (not revoked) of the last 12 months whose learner consents to that body now, and that no
 * complete export has reported yet; PARS's figure adds the deletes still to send (revoked claims a complete
 * export reported, whatever their age: every PARS file carries them until one completes). Memory proportional to
 * those claims (their ids, for matching receipts).
 */
export async function claimsAwaitingReport(
  tenantId: string,
  now: Date,
  revocations: ReturnType<typeof revocationsAsOf> = revocationsAsOf(tenantId, now),
): Promise<Record<ReportingBody, number>> {
  const { since, today } = await windowOf(tenantId, now);
  const candidates: Record<ReportingBody, string[]> = { pars: [], 'cpe-monitor': [], 'ce-broker': [] };
  const revoked = await revocations;
  const deletes = pendingParsDeletes(tenantId, now, revoked, parsEntriesOf(tenantId, now), [
    'completionDate',
    'number',
  ]);
  deletes.catch(() => undefined);
  await forEachReportable(
    tenantId,
    now,
    revoked,
    {
      creditType: { $in: ['ama-pra-1', 'acpe', 'ancc'] },
      completionDate: { $gte: since, $lte: today },
    },
    (entry, body) => candidates[body].push(entry._id.toHexString()),
  );
  const awaiting = async (body: ReportingBody) => {
    const ids = candidates[body];
    if (!ids.length) return 0;
    return ids.length - (await reportedEntryIds(tenantId, body, now, ids)).size;
  };
  const [pars, cpeMonitor, ceBroker] = await Promise.all([
    awaiting('pars'),
    awaiting('cpe-monitor'),
    awaiting('ce-broker'),
  ]);
  return { pars: pars + (await deletes).length, 'cpe-monitor': cpeMonitor, 'ce-broker': ceBroker };
}

/** The tenant's claims and reissues a PARS file reads (AMA PRA Category 1), recorded by `now`. */
function parsEntriesOf(tenantId: string, now: Date) {
  return {
    tenantId: new mongoose.Types.ObjectId(tenantId),
    kind: { $in: ['claim', 'reissue'] },
    creditType: 'ama-pra-1',
    recordedAt: { $lte: now },
  };
}

export interface CpeMonitorWindowItem {
  learner: string;
  activityTitle: string;
  /** `YYYY-MM-DD`, the tenant-local completion (participation) date. */
  completionDate: string;
  day: number;
  status: 'approaching' | 'past';
}

export interface CpeMonitorWindow {
  approaching: number;
  past: number;
  items: CpeMonitorWindowItem[];
}

/** Items the dashboard lists; the counts cover all. */
const listedItems = 20;

/**
 * CPE Monitor claims not yet reported whose participation was 45 or more days ago: `approaching` to day 60,
 * `past` after it (NABP refuses records more than 60 days after participation; the export's rule), oldest
 * first, at most 20 listed, with the counts of each.
 */
export async function cpeMonitorWindow(
  tenantId: string,
  now: Date,
  revocations: ReturnType<typeof revocationsAsOf> = revocationsAsOf(tenantId, now),
): Promise<CpeMonitorWindow> {
  const { since, today } = await windowOf(tenantId, now);
  const todayMs = Date.parse(today);
  const latest = DateTime.fromISO(today, { zone: 'utc' }).minus({ days: 45 }).toISODate()!;
  const found: CpeMonitorWindowItem[] = [];
  const ids: string[] = [];
  await forEachReportable(
    tenantId,
    now,
    await revocations,
    { creditType: 'acpe', completionDate: { $gte: since, $lte: latest } },
    (entry, body, profile, activities) => {
      if (body !== 'cpe-monitor') return;
      const day = daysBetween(entry.completionDate, todayMs);
      ids.push(entry._id.toHexString());
      found.push({
        learner: [profile.firstName, profile.lastName].filter(Boolean).join(' ') || entry.learnerName || '',
        activityTitle: activities.get(entry.activityId)?.title ?? '',
        completionDate: entry.completionDate,
        day,
        status: day > 60 ? 'past' : 'approaching',
      });
    },
  );
  const reported = ids.length ? await reportedEntryIds(tenantId, 'cpe-monitor', now, ids) : new Set<string>();
  const open = found.filter((_item, index) => !reported.has(ids[index]!));
  return {
    approaching: open.filter((item) => item.status === 'approaching').length,
    past: open.filter((item) => item.status === 'past').length,
    items: open.slice(0, listedItems),
  };
}

/**
 * Both figures of the admin home (issue 14, item 4), reading the tenant's revocations once for the two (each
 * read is a scan of the ledger on the database stand-in).
 */
export async function reportingStatus(
  tenantId: string,
  now: Date,
): Promise<{ awaiting: Record<ReportingBody, number>; window: CpeMonitorWindow }> {
  const revocations = revocationsAsOf(tenantId, now);
  const [awaiting, window] = await Promise.all([
    claimsAwaitingReport(tenantId, now, revocations),
    cpeMonitorWindow(tenantId, now, revocations),
  ]);
  return { awaiting, window };
}
