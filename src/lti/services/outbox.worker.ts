import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../../shared/logger';
import { OutboxParkError, OutboxRetryableError } from './outbox.errors';
import type { OutboxKind } from './outbox.model';
import {
  leaseNextOutboxJob,
  markOutboxJobSent,
  parkOutboxJob,
  renewOutboxLease,
  rescheduleOutboxJob,
  type LeasedOutboxJob,
} from './outbox.service';

/**
 * Sends one job. Resolves with what happened (shown to admins); throws OutboxRetryableError to try again later,
 * OutboxParkError to stop with a reason. Any other error counts as retryable (a database hiccup, a bug that a
 * deploy fixes), so it too ends parked after the maximum attempts rather than lost.
 */
export type OutboxHandler = (job: LeasedOutboxJob) => Promise<string>;

export interface OutboxWorkerOptions {
  handlers: Record<OutboxKind, OutboxHandler>;
  logger: Logger;
  pollMilliseconds: number;
  leaseSeconds: number;
  maxAttempts: number;
  retryBaseMilliseconds: number;
  retryMaxMilliseconds: number;
  /** For tests: a source of randomness for the jitter. */
  random?: () => number;
}

export interface OutboxWorker {
  /** This worker's lease owner id. */
  readonly id: string;
  /** Sends every job that is due now, one after another; resolves with how many it handled. */
  drain(): Promise<number>;
  /** Stops polling and waits for the job in hand to finish (its lease is released by finishing it). */
  stop(): Promise<void>;
}

/**
 * The delay before attempt `attempt + 1`: exponential from `base`, capped at `max`, with "equal jitter" (half
 * fixed, half random) so jobs that failed together do not retry together. A Retry-After is honoured as a
 * minimum, up to `max`.
 */
export function retryDelayMilliseconds(
  attempt: number,
  options: { base: number; max: number; retryAfterMs?: number; random?: () => number },
): number {
  const exponential = Math.min(options.max, options.base * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential / 2 + (exponential / 2) * (options.random ?? Math.random)();
  return Math.round(Math.min(options.max, Math.max(jittered, options.retryAfterMs ?? 0)));
}

/**
 * The reason an admin reads on /admin/outbox. Outbox errors are worded by Rounds; any other error's message may
 * carry what a far end sent (a parser quoting the body it choked on), so it goes to the log only.
 */
function reasonFor(error: unknown): string {
  if (error instanceof OutboxParkError || error instanceof OutboxRetryableError) return error.message;
  return 'Rounds hit an unexpected error while sending; the server log has the details.';
}

/** Starts polling the outbox in this process; `stop()` it before closing the database. */
export function startOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const logger = options.logger.child({ component: 'outbox', worker: id });
  const leaseMs = options.leaseSeconds * 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function handle(job: LeasedOutboxJob): Promise<void> {
    const jobLog = logger.child({ jobId: String(job._id), kind: job.kind, attempt: job.attempts });
    // Renew the lease while the job runs, so a long roster sync is not taken over by another worker.
    const heartbeat = setInterval(() => {
      renewOutboxLease(job, leaseMs).catch((error) => jobLog.warn({ err: error }, 'lease renewal failed'));
    }, leaseMs / 3);
    heartbeat.unref();
    let outcome: string;
    try {
      const handler = options.handlers[job.kind as OutboxKind];
      if (!handler) throw new OutboxParkError(`Rounds does not know how to send a "${job.kind}" job.`);
      outcome = await handler(job);
    } catch (error) {
      await recordFailure(job, error, jobLog);
      return;
    } finally {
      clearInterval(heartbeat);
    }
    // Outside the try: if this write fails, the job was sent and must not be rescheduled as a failure (a clean
    // retry would send it again). It stays `sending`; once its lease runs out it is taken over in doubt.
    if (!(await markOutboxJobSent(job, outcome))) jobLog.warn('job finished after its lease was taken over');
    else jobLog.info({ outcome }, 'outbox job sent');
  }

  async function recordFailure(job: LeasedOutboxJob, error: unknown, jobLog: Logger): Promise<void> {
    const message = reasonFor(error);
    if (error instanceof OutboxParkError) {
      await parkOutboxJob(job, message);
      jobLog.warn({ reason: message }, 'outbox job parked');
      return;
    }
    if (job.attempts >= options.maxAttempts) {
      await parkOutboxJob(job, `Gave up after ${job.attempts} attempts. Last error: ${message}`);
      jobLog.warn({ reason: message, err: error }, 'outbox job parked after its last attempt');
      return;
    }
    if (!(error instanceof OutboxRetryableError)) {
      jobLog.error({ err: error }, 'outbox job failed unexpectedly');
    }
    const delay = retryDelayMilliseconds(job.attempts, {
      base: options.retryBaseMilliseconds,
      max: options.retryMaxMilliseconds,
      retryAfterMs: error instanceof OutboxRetryableError ? error.retryAfterMs : undefined,
      random: options.random,
    });
    await rescheduleOutboxJob(job, message, new Date(Date.now() + delay));
    jobLog.info({ reason: message, retryInMs: delay }, 'outbox job will be retried');
  }

  async function drainOnce(): Promise<number> {
    let handled = 0;
    while (!stopped) {
      const job = await leaseNextOutboxJob(id, leaseMs);
      if (!job) break;
      await handle(job).catch((error) => logger.error({ err: error }, 'outbox bookkeeping failed'));
      handled += 1;
    }
    return handled;
  }

  function drain(): Promise<number> {
    // One pass at a time: the poll loop and a caller's drain() share it.
    running ??= drainOnce().finally(() => {
      running = undefined;
    });
    return running;
  }

  function schedule(delay: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      drain()
        .then(() => schedule(options.pollMilliseconds))
        .catch((error) => {
          // The database is away: wait longer before asking again.
          logger.warn({ err: error }, 'outbox poll failed; will retry');
          schedule(Math.max(options.pollMilliseconds, 5000));
        });
    }, delay);
    timer.unref();
  }
  schedule(options.pollMilliseconds);

  return {
    id,
    drain,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
