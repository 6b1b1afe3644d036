import mongoose from 'mongoose';
import { CmeExportModel, startExportJobs, sweepExpiredExportFiles } from '../../../../src/cme/exports';
import { openExportUpload } from '../../../../src/cme/exports/export.files';
import { createLogger } from '../../../../src/shared/logger';
import { sandboxCourseIn, signedInAs, useTestRounds } from '../../../support';
import { exportReaches, seedClaims, seedExportActivity, someUserId } from './exports.support';

// The export worker under stress (issue 14 review): a shutdown that arrives while a job is being leased, a job
// that runs past the longest allowed, and GridFS files no export needs (a killed worker's partial upload, a file
// whose delete failed) — the sweep deletes them.

const rounds = useTestRounds({ cmeExportInlineMaxRows: 100 });
let tenantId: string;
const silent = createLogger('silent');

beforeAll(async () => {
  // This file's own workers take the jobs, with its own options.
  await rounds.exportJobs.stop();
  await signedInAs(rounds, 'cmeAdmin');
  tenantId = (await sandboxCourseIn(rounds)).tenantId;
  const activity = await seedExportActivity(tenantId, 'worker-large', 'Worker Large');
  await seedClaims(tenantId, activity, [someUserId(), someUserId()], 2500);
});

/** A queued claims-CSV job of the 2,500 seeded claims, due now. */
async function queuedJob(fields: Record<string, unknown> = {}) {
  const now = new Date();
  return CmeExportModel.create({
    tenantId,
    format: 'claims-csv',
    filter: { from: '', to: '', activity: 'worker-large', creditType: '', profession: '' },
    asOf: new Date(now.getTime() - 5000),
    timeZone: 'UTC',
    requestedBy: { kind: 'lti-admin', id: 'admin', name: 'Sam' },
    requestedAt: now,
    mode: 'job',
    status: 'queued',
    entriesTotal: 2500,
    fileName: 'rounds-claims-all.csv',
    contentType: 'text/csv; charset=utf-8',
    lease: { owner: '', until: now },
    ...fields,
  });
}

const chunksOf = (fileId: unknown) =>
  mongoose.connection.db!.collection('cmeExports.chunks').countDocuments({ files_id: fileId });
const filesOf = (exportId: unknown) =>
  mongoose.connection
    .db!.collection('cmeExports.files')
    .countDocuments({ 'metadata.exportId': String(exportId) });

/** An upload with chunks stored; `finish` also writes its files document (a whole file). */
async function storedUpload(exportId: unknown, finish = false) {
  const upload = openExportUpload('file.csv', {
    exportId: String(exportId),
    tenantId,
    contentType: 'text/csv',
  });
  await new Promise<void>((resolve, reject) =>
    upload.write(Buffer.alloc(300 * 1024, 'x'), (error) => (error ? reject(error) : resolve())),
  );
  if (finish) await new Promise<void>((resolve) => upload.end(() => resolve()));
  return upload.id as mongoose.Types.ObjectId;
}

describe('a worker shutting down', () => {
  it('when stop() arrives while a job is being leased, then the job is handed back untouched, not written during shutdown', async () => {
    const job = await queuedJob();
    const worker = startExportJobs(rounds.config, silent, { pollMilliseconds: 3_600_000 });
    // The worker starts leasing; the shutdown arrives before the leased job is in its hands.
    const drained = worker.drain();
    await worker.stop();
    await drained;
    const record = (await CmeExportModel.findById(job._id).lean())!;
    expect(record).toMatchObject({ status: 'queued', attempts: 0 });
    expect(record.fileId).toBeUndefined();
    expect(record.sha256).toBeUndefined();
    expect(await filesOf(job._id)).toBe(0);
    await CmeExportModel.deleteOne({ _id: job._id });
  });
});

describe('a job that runs too long', () => {
  it('when a job runs past the longest allowed, then it is stopped and failed with the reason, and no file is kept', async () => {
    const job = await queuedJob();
    const worker = startExportJobs(rounds.config, silent, { pollMilliseconds: 50, maxRunSeconds: 0 });
    try {
      const record = await exportReaches(String(job._id));
      expect(record.status).toBe('failed');
      expect(record.failure).toMatch(
        /^Rounds stopped the job: it was still running after 0 seconds\. Choose a shorter date range/,
      );
      // Not tried again: the next attempt would run as long.
      expect(record.attempts).toBe(1);
      expect(record.fileId).toBeUndefined();
    } finally {
      await worker.stop();
    }
    expect(await filesOf(job._id)).toBe(0);
  });
});

describe('files no export needs', () => {
  it('when the bucket holds partial or stray files, then the sweep deletes them and keeps the ones exports need', async () => {
    const now = new Date();
    const later = new Date(now.getTime() + 3600_000);
    // A job that failed after its partial file's delete failed: the old code forgot the file's id.
    const failed = await queuedJob({ status: 'failed', failure: 'boom' });
    const failedFile = await storedUpload(failed._id);
    // A job handed back with its partial file still recorded (its delete failed).
    const requeued = await queuedJob({ lease: { owner: '', until: later } });
    const requeuedFile = await storedUpload(requeued._id);
    await CmeExportModel.updateOne({ _id: requeued._id }, { $set: { fileId: requeuedFile } });
    // A file with no export at all.
    const strayFile = await storedUpload(new mongoose.Types.ObjectId(), true);
    // Being written by a worker that holds its lease: kept.
    const writing = await queuedJob({ status: 'running', lease: { owner: 'a-live-worker', until: later } });
    const writingFile = await storedUpload(writing._id);
    await CmeExportModel.updateOne({ _id: writing._id }, { $set: { fileId: writingFile } });
    // Complete and kept until tomorrow: kept.
    const kept = await queuedJob({ status: 'complete', sha256: 'a'.repeat(64), expiresAt: later });
    const keptFile = await storedUpload(kept._id, true);
    await CmeExportModel.updateOne({ _id: kept._id }, { $set: { fileId: keptFile } });

    expect(await sweepExpiredExportFiles(now)).toBeGreaterThanOrEqual(3);

    expect(await chunksOf(failedFile)).toBe(0);
    expect(await chunksOf(requeuedFile)).toBe(0);
    expect(await chunksOf(strayFile)).toBe(0);
    expect(
      await mongoose.connection.db!.collection('cmeExports.files').countDocuments({ _id: strayFile }),
    ).toBe(0);
    expect((await CmeExportModel.findById(requeued._id).lean())!.fileId).toBeUndefined();
    expect(await chunksOf(writingFile)).toBeGreaterThan(0);
    expect(await chunksOf(keptFile)).toBeGreaterThan(0);
    expect(await filesOf(kept._id)).toBe(1);

    // Once the writer's lease has run out (its worker died), its partial file goes too.
    await CmeExportModel.updateOne(
      { _id: writing._id },
      { $set: { 'lease.until': new Date(now.getTime() - 1) } },
    );
    await sweepExpiredExportFiles(now);
    expect(await chunksOf(writingFile)).toBe(0);
    expect(await chunksOf(keptFile)).toBeGreaterThan(0);
    await CmeExportModel.deleteMany({ _id: { $in: [failed._id, requeued._id, writing._id, kept._id] } });
  });
});
