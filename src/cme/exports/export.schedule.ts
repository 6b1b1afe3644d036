import type mongoose from 'mongoose';
import { CmeExportModel } from './export.model';

// How the export worker chooses its next job and watches the one in hand (issue 14 review): tenants take turns,
// a job that stops moving loses its lease, and no job runs for ever.

/** The longest a job may run before it is stopped and failed (the largest files take minutes, not hours). */
export const maxJobRunMilliseconds = 2 * 3600 * 1000;

/** Due jobs the scheduler looks at when choosing: the oldest few, so every choice is one bounded read. */
const candidateLimit = 50;

/** Jobs a worker may take now: queued and due (`lease.until` is when), or running with a lease that ran out. */
export const dueJobs = (now: Date) => ({
  mode: 'job',
  status: { $in: ['queued', 'running'] },
  'lease.until': { $lte: now },
});

/**
 * The job to take next, fairly between tenants: among the oldest due jobs, the oldest one of the tenant whose last
 * job started longest ago (a tenant never served first). One tenant's pile therefore waits its turn behind every
 * other tenant's next job instead of delaying them all (one worker takes jobs one at a time).
 */
export async function nextJobId(now: Date): Promise<mongoose.Types.ObjectId | null> {
  const due = await CmeExportModel.find(dueJobs(now))
    .sort({ requestedAt: 1, _id: 1 })
    .limit(candidateLimit)
    .select('_id tenantId')
    .lean();
  if (due.length === 0) return null;
  const tenants = [...new Set(due.map((job) => String(job.tenantId)))];
  if (tenants.length === 1) return due[0]!._id;
  const lastStarts = await Promise.all(
    tenants.map(async (tenantId) => {
      const last = await CmeExportModel.findOne({ tenantId, mode: 'job', startedAt: { $exists: true } })
        .sort({ startedAt: -1 })
        .select('startedAt')
        .lean();
      return last?.startedAt ? last.startedAt.getTime() : Number.NEGATIVE_INFINITY;
    }),
  );
  // The earliest last start wins; between equals, the tenant with the older job (`tenants` is in job order).
  let chosen = 0;
  lastStarts.forEach((at, index) => {
    if (at < lastStarts[chosen]!) chosen = index;
  });
  return due.find((job) => String(job.tenantId) === tenants[chosen])!._id;
}

/** What a job in hand has done so far: ledger entries read, bytes stored. */
export interface JobProgress {
  entriesRead: number;
  bytes: number;
}

/**
 * What the lease heartbeat does (pure). `renew`: the job moved since the last renewal (entries read or bytes
 * stored), so it keeps its lease. `hold`: it has not moved, the lease is left to run down. `stalled`: nothing moved
 * for a whole lease: the job is stopped and given back (a hung job never holds its lease for ever). `too-long`: it
 * ran past `maxRunMs`: stopped and failed.
 */
export function heartbeatDecision(input: {
  now: number;
  startedAt: number;
  progress: JobProgress;
  lastMoved: JobProgress & { at: number };
  leaseMs: number;
  maxRunMs: number;
}): 'renew' | 'hold' | 'stalled' | 'too-long' {
  const { now, progress, lastMoved } = input;
  if (now - input.startedAt > input.maxRunMs) return 'too-long';
  if (progress.entriesRead !== lastMoved.entriesRead || progress.bytes !== lastMoved.bytes) return 'renew';
  return now - lastMoved.at >= input.leaseMs ? 'stalled' : 'hold';
}

/** A length of time as the failure message says it ("2 hours", "90 seconds"). */
export function spokenDuration(milliseconds: number): string {
  const seconds = Math.round(milliseconds / 1000);
  const [value, unit] =
    seconds >= 7200 && seconds % 3600 === 0
      ? [seconds / 3600, 'hours']
      : seconds >= 120 && seconds % 60 === 0
        ? [seconds / 60, 'minutes']
        : [seconds, seconds === 1 ? 'second' : 'seconds'];
  return `${value.toLocaleString('en-US')} ${unit}`;
}

/**
 * Why the worker itself stopped a job, and what follows: `hand-back` (shutting down: queued again, no attempt
 * spent), `retry` (it stopped moving: tried again later), `fail` (it ran too long), `lost` (another worker holds
 * its lease now: that one decides).
 */
export class JobStopped extends Error {
  constructor(
    readonly outcome: 'hand-back' | 'retry' | 'fail' | 'lost',
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The stop of a job in hand when its worker shuts down. */
export const shuttingDown = () => new JobStopped('hand-back', 'Rounds was shutting down.');

/** The failure of a job stopped for running too long, as the admin reads it. */
export const tooLongMessage = (maxRunMs: number) =>
  `Rounds stopped the job: it was still running after ${spokenDuration(maxRunMs)}. Choose a shorter date range to make smaller files, or ask your Rounds administrator to look at the server log.`;

/** The failure of a job that stopped moving (its lease ran out with nothing read or written). */
export const stalledMessage = (leaseMs: number) =>
  `Rounds stopped the job: it read and wrote nothing for ${spokenDuration(leaseMs)}.`;

/**
 * The heartbeat of a job in hand, every third of a lease (heartbeatDecision): renews the lease while the job
 * moves, stops it once it stalled a whole lease or ran past `maxRunMs`, or when `renew` finds the lease taken over
 * (another worker presumed this one dead). Returns the timer (cleared when the job ends).
 */
export function watchJob(watch: {
  startedAt: number;
  leaseMs: number;
  maxRunMs: number;
  progress: () => JobProgress;
  renew: (until: Date) => Promise<boolean>;
  stop: (reason: JobStopped) => void;
  onError: (error: unknown) => void;
}): NodeJS.Timeout {
  const { startedAt, leaseMs, maxRunMs } = watch;
  let lastMoved = { entriesRead: 0, bytes: 0, at: startedAt };
  const timer = setInterval(() => {
    const now = Date.now();
    const progress = watch.progress();
    const decision = heartbeatDecision({ now, startedAt, progress, lastMoved, leaseMs, maxRunMs });
    if (decision === 'too-long') return watch.stop(new JobStopped('fail', tooLongMessage(maxRunMs)));
    if (decision === 'stalled') return watch.stop(new JobStopped('retry', stalledMessage(leaseMs)));
    if (decision === 'hold') return;
    lastMoved = { ...progress, at: now };
    watch
      .renew(new Date(now + leaseMs))
      .then((held) => held || watch.stop(new JobStopped('lost', 'lease taken over')))
      .catch(watch.onError);
  }, leaseMs / 3);
  timer.unref();
  return timer;
}

/**
 * `work`, or the stop of `signal` if that comes first: a worker whose job hangs somewhere the signal does not
 * reach still lets go of it (the hung call's later outcome is ignored; its upload is aborted, so it writes nothing).
 */
export function settledOrStopped<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onStop = () => reject(signal.reason);
    if (signal.aborted) {
      work.catch(() => undefined);
      return onStop();
    }
    signal.addEventListener('abort', onStop, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onStop);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onStop);
        reject(error);
      },
    );
  });
}
