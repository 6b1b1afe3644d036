import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type mongoose from 'mongoose';
import { ConflictError } from '../../shared/errors';
import { CmeExportAdmissionModel } from './export.admission.model';
import { exportFormatChoices, exportStatusLabels } from './export.labels';
import { CmeExportModel, type CmeExport, type ExportFormat, type ExportStatus } from './export.model';

// Admission of background export jobs (issue 14 review): one tenant may not fill GridFS or the shared worker with
// jobs. At most `pendingJobLimit` jobs of a tenant wait or run at once; the same file asked for again while it is
// still pending sends the admin to the pending job instead of making it twice. The worker's side (tenants served
// in turn) is export.schedule.ts.

/** Jobs one tenant may have waiting or running at once. */
export const pendingJobLimit = 3;

/** A pending job as the refusal page lists it. */
export interface PendingJob {
  id: string;
  path: string;
  formatLabel: string;
  statusLabel: string;
  requestedAt: string;
  requestedBy: string;
  recreation: boolean;
}

/** The tenant has `pendingJobLimit` jobs waiting or running: no other is queued until one ends (409). */
export class ExportQueueFullError extends ConflictError {
  constructor(readonly pending: PendingJob[]) {
    super(
      `You already have ${pending.length} exports waiting or being made. When one of them has finished, ask for this file again.`,
    );
    this.pageTitle = 'Exports already in progress';
  }
}

/** What a new job record is made of (CmeExportModel.create's fields, less the lease this module sets). */
export type NewJob = Omit<Partial<CmeExport>, '_id' | 'lease' | 'tenantId'> & {
  tenantId: string | mongoose.Types.ObjectId;
  format: ExportFormat;
  filter: CmeExport['filter'];
  requestedAt: Date;
  recreationOf?: mongoose.Types.ObjectId;
};

type JobFacts = Pick<CmeExport, 'format' | 'filter' | 'recreationOf'>;

/**
 * Whether two jobs make the same file: a re-creation of the same original, or (neither a re-creation) the same
 * format and filter. A second export asked for while the first is pending would read the same data, give or take
 * the seconds between them.
 */
function sameWork(a: JobFacts, b: JobFacts): boolean {
  if (a.recreationOf || b.recreationOf) {
    return Boolean(a.recreationOf && b.recreationOf && String(a.recreationOf) === String(b.recreationOf));
  }
  const fa = a.filter ?? {};
  const fb = b.filter ?? {};
  return (
    a.format === b.format &&
    (['from', 'to', 'activity', 'creditType', 'profession'] as const).every(
      (name) => (fa[name] ?? '') === (fb[name] ?? ''),
    )
  );
}

/** The tenant's jobs waiting or running, oldest first (a few at most: admission keeps it so). */
function pendingJobsOf(tenantId: unknown): Promise<CmeExport[]> {
  return CmeExportModel.find({ tenantId, mode: 'job', status: { $in: ['queued', 'running'] } })
    .sort({ requestedAt: 1, _id: 1 })
    .lean<CmeExport[]>();
}

function listed(records: CmeExport[]): PendingJob[] {
  return records.map((record) => ({
    id: String(record._id),
    path: `/cme/admin/exports/${String(record._id)}`,
    formatLabel: exportFormatChoices[record.format as ExportFormat].label,
    statusLabel: exportStatusLabels[record.status as ExportStatus],
    requestedAt: DateTime.fromJSDate(record.requestedAt, { zone: record.timeZone }).toFormat(
      'd LLL yyyy, HH:mm',
    ),
    requestedBy: record.requestedBy?.name || 'Unknown',
    recreation: Boolean(record.recreationOf),
  }));
}

const isDuplicateKey = (error: unknown) => (error as { code?: number } | null)?.code === 11000;
const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** How long an admission lock holds at most (a request that died with it loses it after this). */
const lockMilliseconds = 10_000;

/**
 * Runs `work` while holding the tenant's admission lock, so that deciding and queuing are one step for each
 * request. A request finding the lock taken waits its turn (a few seconds at most), then is told to try again.
 */
async function admitted<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
  const token = randomUUID();
  for (let attempt = 1; ; attempt += 1) {
    const now = Date.now();
    const until = new Date(now + lockMilliseconds);
    try {
      await CmeExportAdmissionModel.create({ _id: tenantId, token, until });
      break;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    // Its holder died: take the lapsed lock over.
    const taken = await CmeExportAdmissionModel.findOneAndUpdate(
      { _id: tenantId, until: { $lte: new Date(now) } },
      { $set: { token, until } },
    );
    if (taken) break;
    if (attempt >= 150) {
      throw new ConflictError(
        'Another export of your organization is being started at this moment. Try again in a few seconds.',
      );
    }
    await pause(20);
  }
  try {
    return await work();
  } finally {
    await CmeExportAdmissionModel.deleteOne({ _id: tenantId, token });
  }
}

/**
 * Queues a background job for a tenant, or answers the pending job that already makes the same file
 * (`existing: true`). Refuses with ExportQueueFullError while the tenant has `pendingJobLimit` jobs pending.
 * Decided under the tenant's admission lock: requests racing each other (a double click) take turns.
 */
export async function queueJob(job: NewJob): Promise<{ record: CmeExport; existing: boolean }> {
  return admitted(String(job.tenantId), async () => {
    const pending = await pendingJobsOf(job.tenantId);
    const twin = pending.find((record) => sameWork(record, job));
    if (twin) return { record: twin, existing: true };
    if (pending.length >= pendingJobLimit) throw new ExportQueueFullError(listed(pending));
    // Due at once: the worker leases queued jobs whose `lease.until` has passed.
    const created = await CmeExportModel.create({
      ...job,
      mode: 'job',
      status: 'queued',
      lease: { owner: '', until: job.requestedAt },
    });
    return { record: created.toObject() as CmeExport, existing: false };
  });
}
