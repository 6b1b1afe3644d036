import mongoose from 'mongoose';
import { CmeExportModel, sweepExpiredExportFiles } from '../../../../src/cme/exports';
import { openExportUpload } from '../../../../src/cme/exports/export.files';
import { TenantModel } from '../../../../src/tenancy';
import {
  adminAgent,
  decodeHtml,
  sandboxCourseIn,
  useTestRounds,
  type Agent,
  type SandboxCourse,
} from '../../../support';
import {
  binary,
  exportIdOf,
  exportReaches,
  postExport,
  seedClaims,
  seedExportActivity,
  sha256Of,
  someUserId,
  useExportWorker,
} from './exports.support';

// Large exports (issue 14, item 1): over cmeExportInlineMaxRows (set low here) the file is written by a leased
// background job into GridFS, with progress, kept for a day, then swept. A killed job never leaves a file marked
// complete: its lease runs out, another worker deletes the partial file and writes it again.

const rounds = useTestRounds({ cmeExportInlineMaxRows: 100 });
const worker = useExportWorker(rounds);
let course: SandboxCourse;
let admin: Agent;

const large = { from: '', to: '', activity: 'jobs-large' };

function chunksOf(fileId: unknown) {
  return mongoose.connection.db!.collection('cmeExports.chunks').countDocuments({ files_id: fileId });
}

beforeAll(async () => {
  admin = await adminAgent(rounds);
  course = await sandboxCourseIn(rounds);
  await TenantModel.updateOne({ _id: course.tenantId }, { $set: { timeZone: 'America/Chicago' } });
  const activity = await seedExportActivity(course.tenantId, 'jobs-large', 'Large Activity');
  await seedClaims(course.tenantId, activity, [someUserId(), someUserId(), someUserId(), someUserId()], 2500);
  const unconsented = await seedExportActivity(course.tenantId, 'jobs-unconsented', 'Nobody Consented');
  await seedClaims(course.tenantId, unconsented, [someUserId()], 150);
});

/** The first complete job of the large claims CSV (made by the first test). */
async function completedJob() {
  return (await CmeExportModel.findOne({ 'filter.activity': 'jobs-large', mode: 'job', status: 'complete' })
    .sort({ requestedAt: 1 })
    .lean())!;
}

describe('a large export runs as a job', () => {
  it('when the filters select more than the inline limit, then a job page shows progress and, once done, the file downloads', async () => {
    const page = decodeHtml(
      (await admin.get(`/cme/admin/exports?${new URLSearchParams(large)}`).expect(200)).text,
    );
    expect(page).toContain('<strong>2,500</strong> claims match');
    expect(page).toContain('A file that reads more than 100 claims is made in the background');
    // Each file says what it reads and whether it is made in the background: the count that decides it.
    expect(page).toContain(
      'id="export-format-claims-csv-note">Reads 2,500 claims: made in the background, then kept for you to download.',
    );
    expect(page).toContain(
      'id="export-format-cpe-monitor-csv-note">None of the matching claims goes in this file.',
    );

    const posted = await postExport(admin, { ...large, format: 'claims-csv' });
    expect(posted.status).toBe(303);
    const id = exportIdOf(posted.headers.location!);
    const jobPage = decodeHtml((await admin.get(posted.headers.location!).expect(200)).text);
    expect(jobPage).toContain('<h1>Export: All claims (CSV)</h1>');
    expect(jobPage).toMatch(/<progress id="export-progress" max="2500" value="\d+"/);
    expect(jobPage).toContain('<script src="/static/cme-export-progress.js" defer></script>');

    const record = await exportReaches(id);
    expect(record).toMatchObject({
      status: 'complete',
      mode: 'job',
      rowCount: 2500,
      entriesRead: 2500,
      attempts: 1,
    });
    expect(record.expiresAt!.getTime() - record.completedAt!.getTime()).toBe(24 * 3600 * 1000);
    const status = await admin.get(`/cme/admin/exports/${id}/status`).expect(200);
    expect(status.headers['cache-control']).toBe('no-store');
    expect(status.body).toMatchObject({
      status: 'complete',
      entriesRead: 2500,
      entriesTotal: 2500,
      percent: 100,
      done: true,
    });
    expect(status.body.text).toBe('2,500 of 2,500 claims read');

    const done = decodeHtml((await admin.get(`/cme/admin/exports/${id}`).expect(200)).text);
    expect(done).toContain(
      `href="/cme/admin/exports/${id}/file" download>Download rounds-claims-all.csv</a>`,
    );
    expect(done).toContain('Kept until');
    expect(done).not.toContain('Check again');
    const file = await admin.get(`/cme/admin/exports/${id}/file`).buffer(true).parse(binary).expect(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="?rounds-claims-all\.csv"?$/);
    expect(file.headers['cache-control']).toBe('no-store');
    expect(sha256Of(file.body)).toBe(record.sha256);
    expect(file.body.toString('utf8').trimEnd().split('\r\n')).toHaveLength(2501);
  });

  it('when a job’s worker died mid-file (its lease ran out), then another worker deletes the partial file and finishes with the right hash', async () => {
    const first = await completedJob();
    // What a killed worker leaves: `running`, its lease past, a GridFS upload with chunks but never finished.
    const killed = await CmeExportModel.create({
      ...first,
      _id: new mongoose.Types.ObjectId(),
      status: 'running',
      requestedAt: new Date(),
      // Held until its partial file is in place; then its lease runs out below.
      lease: { owner: 'a-worker-that-was-killed', until: new Date(Date.now() + 3600_000) },
      attempts: 1,
      entriesRead: 1000,
      rowCount: undefined,
      bytes: undefined,
      sha256: undefined,
      completedAt: undefined,
      expiresAt: undefined,
      fileId: undefined,
    });
    const partial = openExportUpload('partial.csv', {
      exportId: String(killed._id),
      tenantId: course.tenantId,
      contentType: 'text/csv',
    });
    await new Promise<void>((resolve, reject) =>
      partial.write(Buffer.alloc(300 * 1024, 'x'), (error) => (error ? reject(error) : resolve())),
    );
    await CmeExportModel.updateOne({ _id: killed._id }, { $set: { fileId: partial.id } });
    expect(await chunksOf(partial.id)).toBeGreaterThan(0);
    await CmeExportModel.updateOne(
      { _id: killed._id },
      { $set: { 'lease.until': new Date(Date.now() - 1000) } },
    );

    const record = await exportReaches(String(killed._id));
    expect(record).toMatchObject({ status: 'complete', attempts: 2, rowCount: 2500, sha256: first.sha256 });
    expect(String(record.fileId)).not.toBe(String(partial.id));
    expect(await chunksOf(partial.id)).toBe(0);
    const file = await admin
      .get(`/cme/admin/exports/${String(killed._id)}/file`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(sha256Of(file.body)).toBe(first.sha256);
  });

  it('when no claim qualifies for a job’s file, then it ends empty and keeps no file', async () => {
    const posted = await postExport(admin, { activity: 'jobs-unconsented', format: 'pars-csv' });
    expect(posted.status).toBe(303);
    const record = await exportReaches(exportIdOf(posted.headers.location!));
    expect(record).toMatchObject({ status: 'empty', rowCount: 0 });
    expect(record.fileId).toBeUndefined();
    const page = decodeHtml((await admin.get(posted.headers.location!).expect(200)).text);
    expect(page).toContain('No claim in these filters belongs in this file, so no file was made.');
    await admin.get(`${posted.headers.location!}/file`).set('Accept', 'text/html').expect(409);
  });

  it('when a job cannot be written (its activity is gone from the tenant), then it fails with a worded reason and no file', async () => {
    const first = await completedJob();
    const doomed = await CmeExportModel.create({
      ...first,
      _id: new mongoose.Types.ObjectId(),
      filter: { ...first.filter, activity: 'jobs-no-such-activity' },
      status: 'queued',
      requestedAt: new Date(),
      lease: { owner: '', until: new Date() },
      attempts: 0,
      sha256: undefined,
      fileId: undefined,
    });
    const record = await exportReaches(String(doomed._id));
    expect(record.status).toBe('failed');
    expect(record.failure).toBe('Choose an activity from the list: there is no activity with that key.');
    expect(record.fileId).toBeUndefined();
    const page = decodeHtml((await admin.get(`/cme/admin/exports/${String(doomed._id)}`).expect(200)).text);
    expect(page).toContain('The file was not made.');
  });

  it('when a job is not finished, then its file answers 409 and its page offers "Check again"', async () => {
    const first = await completedJob();
    const waiting = await CmeExportModel.create({
      ...first,
      _id: new mongoose.Types.ObjectId(),
      status: 'queued',
      requestedAt: new Date(),
      // Due in an hour: no worker takes it during this test.
      lease: { owner: '', until: new Date(Date.now() + 3600_000) },
      entriesRead: 0,
      sha256: undefined,
      fileId: undefined,
    });
    const path = `/cme/admin/exports/${String(waiting._id)}`;
    await admin.get(`${path}/file`).set('Accept', 'text/html').expect(409);
    const page = decodeHtml((await admin.get(path).expect(200)).text);
    expect(page).toContain(`<a href="${path}">Check again</a>`);
    expect(page).toContain('0 of 2,500 claims read (0%)');
    expect(page).toContain('data-polling');
    await CmeExportModel.deleteOne({ _id: waiting._id });
  });
});

describe('kept files are swept', () => {
  it('when a job’s file is past its keep time, then the sweep deletes it, the record stays and the file answers 410', async () => {
    const first = await completedJob();
    await CmeExportModel.updateOne({ _id: first._id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await sweepExpiredExportFiles(new Date())).toBeGreaterThanOrEqual(1);
    const record = await CmeExportModel.findById(first._id).lean();
    expect(record).toMatchObject({ status: 'complete', sha256: first.sha256 });
    expect(record!.fileDeletedAt).toBeInstanceOf(Date);
    expect(await chunksOf(first.fileId)).toBe(0);
    const gone = await admin
      .get(`/cme/admin/exports/${String(first._id)}/file`)
      .set('Accept', 'text/html')
      .expect(410);
    expect(decodeHtml(gone.text)).toContain('Re-create it from the export log');
    expect(gone.text).toContain('href="/cme/admin/exports/log"');
    const page = decodeHtml((await admin.get(`/cme/admin/exports/${String(first._id)}`).expect(200)).text);
    expect(page).toContain('This file is no longer kept.');
  });

  it('when a download was left running for hours (its server stopped), then the sweep marks it failed', async () => {
    const first = await completedJob();
    const stale = await CmeExportModel.create({
      ...first,
      _id: new mongoose.Types.ObjectId(),
      mode: 'download',
      status: 'running',
      requestedAt: new Date(Date.now() - 3 * 3600_000),
      sha256: undefined,
      fileId: undefined,
    });
    await sweepExpiredExportFiles(new Date());
    expect(await CmeExportModel.findById(stale._id).lean()).toMatchObject({
      status: 'failed',
      failure: 'The download was interrupted before the whole file was sent.',
    });
  });
});

void worker;
