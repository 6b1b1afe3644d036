import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { finished } from 'node:stream/promises';
import type mongoose from 'mongoose';
import type { Config } from '../../config';
import { AppError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { deleteExportFile, discardUpload, openExportUpload } from './export.files';
import { CmeExportModel, type CmeExport } from './export.model';
import {
  dueJobs,
  JobStopped,
  maxJobRunMilliseconds,
  nextJobId,
  settledOrStopped,
  shuttingDown,
  tooLongMessage,
  watchJob,
} from './export.schedule';
import { exportRequestOf, failureReason, writesReceipts } from './export.service';
import { writeExport } from './export.writer';

export { sweepExpiredExportFiles } from './export.sweep';

/** Export jobs running in this process (started by runtime.ts; stop them before closing the database). */
export interface ExportJobs {
  /** This worker's lease owner id. */
  readonly id: string;
  /** Runs every job that is due now, one after another; resolves with how many it took. */
  drain(): Promise<number>;
  /** Stops polling and waits for the job in hand to stop (an unfinished file is deleted, the job re-queued). */
  stop(): Promise<void>;
}

export interface ExportJobOptions {
  pollMilliseconds?: number;
  leaseSeconds?: number;
  /** Delay before a failed job's second attempt; doubled for the third. */
  retryBaseMilliseconds?: number;
  maxAttempts?: number;
  /** The longest one attempt may run before it is stopped and failed (default 2 hours). */
  maxRunSeconds?: number;
}

/** How often `entriesRead` is saved at most: the progress bar moves about once a second, the database is spared. */
const progressEveryMilliseconds = 1000;

type LeasedExport = CmeExport & { lease: { owner: string; until: Date } };

/**
 * Starts the export job worker (issue 14, item 1), leased like the LMS outbox (src/lti/services/outbox.worker.ts):
 * it takes a `queued` job, or a `running` one whose lease ran out (its worker was killed) — fairly between tenants
 * (export.schedule.ts) — renews the lease while the job moves, and streams the file into GridFS through the engine,
 * saving progress about once a second. Only a file written to the end and hashed is marked `complete` (kept
 * `cmeExportKeepHours`); a job found half-done first loses its earlier partial file. A failure is retried with
 * backoff, then `failed` with a worded reason; a job that stops moving loses its lease, one that runs past
 * `maxRunSeconds` fails.
 */
export function startExportJobs(
  config: Pick<Config, 'cmeExportKeepHours'>,
  logger: Logger,
  options: ExportJobOptions = {},
): ExportJobs {
  const id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const log = logger.child({ component: 'cme-exports', worker: id });
  const pollMs = options.pollMilliseconds ?? 1000;
  const leaseMs = (options.leaseSeconds ?? 60) * 1000;
  const retryBaseMs = options.retryBaseMilliseconds ?? 10_000;
  const maxAttempts = options.maxAttempts ?? 3;
  const maxRunMs = options.maxRunSeconds !== undefined ? options.maxRunSeconds * 1000 : maxJobRunMilliseconds;
  const keepMs = config.cmeExportKeepHours * 3600 * 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let inHand: AbortController | undefined;

  async function leaseNext(): Promise<LeasedExport | null> {
    // Another worker may take the chosen job first: choose again, a few times, then wait for the next poll.
    for (let tries = 0; tries < 3; tries += 1) {
      const now = new Date();
      const chosen = await nextJobId(now);
      if (!chosen) return null;
      const job = await CmeExportModel.findOneAndUpdate(
        { _id: chosen, ...dueJobs(now) },
        {
          $set: {
            status: 'running',
            startedAt: now,
            'lease.owner': id,
            'lease.until': new Date(now.getTime() + leaseMs),
          },
          $inc: { attempts: 1 },
        },
        { new: true },
      ).lean();
      if (job) return job as LeasedExport;
    }
    return null;
  }

  /** An update of the job that applies only while this worker still holds its lease. */
  const ours = (job: LeasedExport) => ({ _id: job._id, status: 'running', 'lease.owner': id });

  async function run(job: LeasedExport): Promise<void> {
    // In hand from the first instant: a stop() arriving while this job was being leased stops it too.
    const controller = new AbortController();
    inHand = controller;
    if (stopped) controller.abort(shuttingDown());
    try {
      await write(job, controller);
    } finally {
      inHand = undefined;
    }
  }

  async function write(job: LeasedExport, controller: AbortController): Promise<void> {
    const jobLog = log.child({ exportId: String(job._id), attempt: job.attempts });
    // A killed worker's half-written file goes first: it is never served and never counted.
    if (job.fileId) {
      await deleteExportFile(job.fileId);
      await CmeExportModel.updateOne(ours(job), { $unset: { fileId: 1 } });
    }
    if (job.attempts > maxAttempts) {
      await CmeExportModel.updateOne(ours(job), {
        $set: { status: 'failed', failure: `The job stopped ${maxAttempts} times before finishing.` },
      });
      jobLog.warn('export job given up: its worker stopped too often');
      return;
    }
    if (controller.signal.aborted) return recordFailure(job, controller.signal.reason, jobLog);
    const startedAt = Date.now();
    const upload = openExportUpload(job.fileName, {
      exportId: String(job._id),
      tenantId: String(job.tenantId),
      contentType: job.contentType,
    });
    const fileId = upload.id as mongoose.Types.ObjectId;
    let entriesRead = 0;
    const tooLong = () => new JobStopped('fail', tooLongMessage(maxRunMs));
    // Renew the lease while the job moves; one that stopped moving, ran too long or was taken over stops.
    const heartbeat = watchJob({
      startedAt,
      leaseMs,
      maxRunMs,
      progress: () => ({ entriesRead, bytes: upload.length }),
      renew: async (until) =>
        (await CmeExportModel.updateOne(ours(job), { $set: { 'lease.until': until } })).matchedCount > 0,
      stop: (reason) => controller.abort(reason),
      onError: (error) => jobLog.warn({ err: error }, 'export lease renewal failed'),
    });
    let lastSaved = 0;
    const onProgress = (read: number) => {
      entriesRead = read;
      if (Date.now() - startedAt > maxRunMs) return controller.abort(tooLong());
      if (Date.now() - lastSaved < progressEveryMilliseconds) return;
      lastSaved = Date.now();
      CmeExportModel.updateOne(ours(job), { $set: { entriesRead: read } }).catch((error) =>
        jobLog.warn({ err: error }, 'export progress not saved'),
      );
    };
    try {
      // The upload's id is recorded before its first chunk: whatever happens next, the file can be found.
      const claimed = await CmeExportModel.updateOne(ours(job), { $set: { fileId, entriesRead: 0 } });
      if (claimed.matchedCount === 0) throw new JobStopped('lost', 'lease lost before writing');
      if (stopped) controller.abort(shuttingDown());
      if (controller.signal.aborted) throw controller.signal.reason;
      const written = writeExport(exportRequestOf(job), upload, {
        receiptsFor: writesReceipts(job) ? String(job._id) : undefined,
        signal: controller.signal,
        onProgress,
      });
      const result = await settledOrStopped(written, controller.signal);
      // With rows, the engine ended the upload and waited for GridFS to store it; with none it left it open.
      if (result.rowCount === 0) await discardUpload(upload, fileId);
      else if (!upload.writableFinished) await settledOrStopped(finished(upload), controller.signal);
      if (controller.signal.aborted) throw controller.signal.reason;
      await finish(job, fileId, result);
      jobLog.info({ rowCount: result.rowCount, bytes: result.bytes }, 'export job finished');
    } catch (error) {
      const cause = controller.signal.aborted ? controller.signal.reason : error;
      const discarded = await discardUpload(upload, fileId).then(
        () => true,
        (problem) => {
          jobLog.warn({ err: problem }, 'partial export file left; the next attempt or the sweep deletes it');
          return false;
        },
      );
      await recordFailure(job, cause, jobLog, discarded ? undefined : fileId);
    } finally {
      clearInterval(heartbeat);
    }
  }

  async function finish(
    job: LeasedExport,
    fileId: mongoose.Types.ObjectId,
    result: { rowCount: number; bytes: number; sha256: string },
  ): Promise<void> {
    const completedAt = new Date();
    if (result.rowCount === 0) {
      await CmeExportModel.updateOne(ours(job), {
        $set: { status: 'empty', rowCount: 0, bytes: 0, completedAt, entriesRead: job.entriesTotal },
        $unset: { fileId: 1 },
      });
      return;
    }
    const original = job.recreationOf
      ? await CmeExportModel.findById(job.recreationOf).select('sha256').lean()
      : null;
    const done = await CmeExportModel.updateOne(ours(job), {
      $set: {
        status: 'complete',
        fileId,
        rowCount: result.rowCount,
        bytes: result.bytes,
        sha256: result.sha256,
        completedAt,
        expiresAt: new Date(completedAt.getTime() + keepMs),
        entriesRead: job.entriesTotal,
        failure: '',
        ...(job.recreationOf ? { matchesRecorded: result.sha256 === original?.sha256 } : {}),
      },
    });
    // Another worker took the job over meanwhile: its own run decides; this file is not the record's.
    if (done.matchedCount === 0) await deleteExportFile(fileId);
  }

  /**
   * Records how an attempt ended without a file. `keptFileId`: its partial upload could not be deleted, so the
   * record keeps pointing at it (the next attempt or the sweep deletes it); otherwise the record forgets it.
   */
  async function recordFailure(
    job: LeasedExport,
    error: unknown,
    jobLog: Logger,
    keptFileId?: mongoose.Types.ObjectId,
  ): Promise<void> {
    const stop = error instanceof JobStopped ? error : undefined;
    if (stop?.outcome === 'lost') return;
    const file = keptFileId ? { fileId: keptFileId } : {};
    const unset = keptFileId ? {} : { $unset: { fileId: 1 } };
    if (stopped || stop?.outcome === 'hand-back') {
      // Shutting down: hand the job back at once, as if this worker had been killed (no attempt lost to it).
      await CmeExportModel.updateOne(ours(job), {
        $set: { status: 'queued', 'lease.owner': '', 'lease.until': new Date(), ...file },
        $inc: { attempts: -1 },
        ...unset,
      });
      return;
    }
    const exposed = error instanceof AppError && error.expose;
    const failure = stop ? stop.reason : failureReason(error);
    if (stop) jobLog.warn({ reason: stop.reason }, 'export job stopped');
    else if (!(error instanceof AppError)) jobLog.error({ err: error }, 'export job failed');
    if (exposed || stop?.outcome === 'fail' || job.attempts >= maxAttempts) {
      const reason =
        job.attempts >= maxAttempts && !exposed && stop?.outcome !== 'fail'
          ? `Gave up after ${job.attempts} attempts. ${failure}`
          : failure;
      await CmeExportModel.updateOne(ours(job), {
        $set: { status: 'failed', failure: reason, ...file },
        ...unset,
      });
      return;
    }
    const retryAt = new Date(Date.now() + retryBaseMs * 2 ** (job.attempts - 1));
    await CmeExportModel.updateOne(ours(job), {
      $set: { status: 'queued', failure, 'lease.owner': '', 'lease.until': retryAt, entriesRead: 0, ...file },
      ...unset,
    });
  }

  async function drainOnce(): Promise<number> {
    let handled = 0;
    while (!stopped) {
      const job = await leaseNext();
      if (!job) break;
      await run(job).catch((error) => log.error({ err: error }, 'export job bookkeeping failed'));
      handled += 1;
    }
    return handled;
  }

  function drain(): Promise<number> {
    running ??= drainOnce().finally(() => {
      running = undefined;
    });
    return running;
  }

  function schedule(delay: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      drain()
        .then(() => schedule(pollMs))
        .catch((error) => {
          log.warn({ err: error }, 'export job poll failed; will retry');
          schedule(Math.max(pollMs, 5000));
        });
    }, delay);
    timer.unref();
  }
  schedule(pollMs);

  return {
    id,
    drain,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      inHand?.abort(shuttingDown());
      await running?.catch(() => undefined);
    },
  };
}
