import mongoose from 'mongoose';
import pino from 'pino';
import { failureFromResponse } from '../../../../src/lti/services/outbox.errors';
import { OutboxJobModel } from '../../../../src/lti/services/outbox.model';
import { enqueueOutboxJob, type LeasedOutboxJob } from '../../../../src/lti/services/outbox.service';
import {
  startOutboxWorker,
  type OutboxHandler,
  type OutboxWorker,
} from '../../../../src/lti/services/outbox.worker';
import { jobReaches, outboxJob, useTestDatabase, waitFor } from '../../../support';

// The outbox's own rules (leases, retries, parking, idempotency) with stand-in handlers; the sandbox LMS tests
// (grades, roster, outbox restart) drive the real handlers over HTTP.
const tenantId = new mongoose.Types.ObjectId();
const workers: OutboxWorker[] = [];
let calls: Array<{ job: LeasedOutboxJob; at: number }>;
let behaviour: OutboxHandler;

function startWorker(overrides: { maxAttempts?: number; retryMaxMilliseconds?: number } = {}) {
  const handler: OutboxHandler = async (job) => {
    calls.push({ job, at: Date.now() });
    return behaviour(job);
  };
  const worker = startOutboxWorker({
    handlers: { grade: handler, 'roster-sync': handler },
    logger: pino({ level: 'silent' }),
    pollMilliseconds: 20,
    leaseSeconds: 30,
    maxAttempts: overrides.maxAttempts ?? 5,
    retryBaseMilliseconds: 100,
    retryMaxMilliseconds: overrides.retryMaxMilliseconds ?? 2000,
    random: () => 1,
  });
  workers.push(worker);
  return worker;
}

let sequence = 0;
async function enqueue(extra: { key?: string; releaseKeyWhenDone?: boolean } = {}) {
  sequence += 1;
  const { job } = await enqueueOutboxJob({
    tenantId,
    kind: 'grade',
    idempotencyKey: extra.key ?? `worker-test:${sequence}`,
    payload: { n: sequence },
    releaseKeyWhenDone: extra.releaseKeyWhenDone,
  });
  return String(job._id);
}

/** The failure for an LMS answer, as the outbound client hands it over (headers and the body read in full). */
const lms = (status: number, headers: Record<string, string> = {}, body = '') =>
  failureFromResponse(
    { status, headers: { get: (name: string) => headers[name.toLowerCase()] ?? null }, text: () => body },
    'posting the score',
  );

useTestDatabase();

beforeAll(async () => {
  await OutboxJobModel.init();
});

beforeEach(async () => {
  await OutboxJobModel.deleteMany({});
  calls = [];
  behaviour = async () => 'done';
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
});

describe('the outbox worker', () => {
  it('when the LMS answers 503 twice, then the job is retried with a growing delay and sent on the third attempt', async () => {
    behaviour = async (job) => {
      if (job.attempts < 3) throw await lms(503);
      return 'accepted';
    };
    startWorker();
    const job = await jobReaches(await enqueue(), 'sent');
    expect(job).toMatchObject({
      attempts: 3,
      outcome: 'accepted',
      lastError:
        'The LMS answered 503 when posting the score: the LMS had an error of its own; Rounds will try again',
    });
    const gaps = [calls[1]!.at - calls[0]!.at, calls[2]!.at - calls[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(100);
    expect(gaps[1]).toBeGreaterThanOrEqual(200);
  });

  it('when the LMS answers 429 with Retry-After, then the next attempt waits that long', async () => {
    behaviour = async () => {
      throw await lms(
        429,
        { 'retry-after': '3' },
        '{"error":"rate_limited","error_description":"slow down"}',
      );
    };
    startWorker({ retryMaxMilliseconds: 60_000 });
    const jobId = await enqueue();
    const job = await waitFor('the first attempt to be recorded', async () => {
      const current = await outboxJob(jobId);
      return current.lastErrorAt ? current : undefined;
    });
    expect(job.lastError).toBe(
      'The LMS answered 429 when posting the score: the LMS asked Rounds to slow down; Rounds will wait and try again',
    );
    expect(job.nextAttemptAt.getTime() - job.lastErrorAt!.getTime()).toBeGreaterThanOrEqual(2900);
    expect(calls).toHaveLength(1);
  });

  it('when the LMS refuses with a 4xx, then the job is parked at once with the status and Rounds’ own reason, not the LMS’s words', async () => {
    behaviour = async () => {
      throw await lms(
        403,
        {},
        '{"error":{"code":"forbidden","message":"internal-billing-db: password=hunter2"}}',
      );
    };
    startWorker();
    const job = await jobReaches(await enqueue(), 'parked');
    expect(job.attempts).toBe(1);
    expect(job.parkedReason).toBe(
      'The LMS answered 403 when posting the score: the LMS does not allow Rounds to do this; check the tool’s services in the LMS',
    );
  });

  it('when a token endpoint answers 400 with an OAuth error code, then the reason explains that code in Rounds’ words and quotes nothing else', async () => {
    const failure = lms(
      400,
      {},
      '{"error":"invalid_client","error_description":"<html>intranet wiki: salaries</html>"}',
    );
    expect(failure.message).toBe(
      'The LMS answered 400 when posting the score: the LMS does not recognise Rounds’ client ID or signature; check the tool’s registration',
    );
    expect(lms(400, {}, '{"error":"intranet wiki: salaries"}').message).not.toContain('salaries');
  });

  it('when a job keeps failing on an unexpected error, then it is parked after the maximum attempts with Rounds’ words, its message kept for the log', async () => {
    behaviour = async () => {
      // A parser quoting the body it choked on, as V8's JSON.parse does.
      throw new SyntaxError('Unexpected token \'<\', "<html>secret-intranet" is not valid JSON');
    };
    startWorker({ maxAttempts: 3 });
    const job = await jobReaches(await enqueue(), 'parked');
    expect(job.attempts).toBe(3);
    expect(job.parkedReason).toBe(
      'Gave up after 3 attempts. Last error: Rounds hit an unexpected error while sending; the server log has the details.',
    );
  });

  it('when a worker crashed holding a lease, then nobody touches the job until the lease runs out, then it is taken over once', async () => {
    const jobId = await enqueue();
    const leaseExpiresAt = new Date(Date.now() + 60_000);
    await OutboxJobModel.updateOne(
      { _id: jobId },
      { $set: { status: 'sending', leaseOwner: 'crashed-worker', leaseExpiresAt }, $inc: { attempts: 1 } },
    );
    const worker = startWorker();
    await worker.drain();
    expect(calls).toHaveLength(0);
    expect(await outboxJob(jobId)).toMatchObject({ status: 'sending', leaseOwner: 'crashed-worker' });

    await OutboxJobModel.updateOne({ _id: jobId }, { $set: { leaseExpiresAt: new Date(Date.now() - 1) } });
    const job = await jobReaches(jobId, 'sent');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.job).toMatchObject({ inDoubt: true, attempts: 2, leaseOwner: worker.id });
    expect(job.leaseOwner).toBeUndefined();
  });

  it('when two workers poll the same outbox, then every job is sent exactly once', async () => {
    behaviour = async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 'done';
    };
    const ids = [];
    for (let i = 0; i < 20; i += 1) ids.push(await enqueue());
    startWorker();
    startWorker();
    for (const id of ids) await jobReaches(id, 'sent');
    const perJob = new Map<string, number>();
    for (const call of calls) perJob.set(String(call.job._id), (perJob.get(String(call.job._id)) ?? 0) + 1);
    expect([...perJob.values()].every((count) => count === 1)).toBe(true);
    expect(perJob.size).toBe(20);
    expect(new Set(calls.map((call) => call.job.leaseOwner)).size).toBe(2);
  });

  it('when the same idempotency key is enqueued at once from many places, then one job exists', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        enqueueOutboxJob({ tenantId, kind: 'grade', idempotencyKey: 'same-attempt', payload: {} }),
      ),
    );
    expect(new Set(results.map((result) => String(result.job._id))).size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(await OutboxJobModel.countDocuments({ idempotencyKey: 'same-attempt' })).toBe(1);
  });

  it('when a coalescing job (a roster sync) is done, then its key is free for the next request', async () => {
    const first = await enqueue({ key: 'roster-sync:c1', releaseKeyWhenDone: true });
    expect(await enqueue({ key: 'roster-sync:c1', releaseKeyWhenDone: true })).toBe(first);
    startWorker();
    const sent = await jobReaches(first, 'sent');
    expect(sent.idempotencyKey).toBe(`roster-sync:c1#${first}`);
    expect(await enqueue({ key: 'roster-sync:c1', releaseKeyWhenDone: true })).not.toBe(first);
  });
});
