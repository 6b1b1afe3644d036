import { CmeExportModel, startExportJobs } from '../../../../src/cme/exports';
import { createLogger } from '../../../../src/shared/logger';
import { TenantModel } from '../../../../src/tenancy';
import {
  adminAgent,
  csrfTokenOf,
  decodeHtml,
  sandboxCourseIn,
  useTestRounds,
  type Agent,
} from '../../../support';
import {
  exportIdOf,
  exportReaches,
  postExport,
  seedClaims,
  seedExportActivity,
  someUserId,
} from './exports.support';

// How many background jobs one tenant may have (issue 14 review, found by review14-job-flood): each large job
// writes a file kept in GridFS for a day, and one worker takes jobs one at a time for every tenant. A tenant has
// at most 3 jobs waiting or running; the same file asked for again while pending sends the admin to it; and the
// worker serves tenants in turn, not one tenant's pile first.

const rounds = useTestRounds({ cmeExportInlineMaxRows: 100 });
let admin: Agent;
let tenantId: string;

beforeAll(async () => {
  // Keep the queue as the admin leaves it (the runtime's worker would otherwise start taking jobs).
  await rounds.exportJobs.stop();
  admin = await adminAgent(rounds);
  const course = await sandboxCourseIn(rounds);
  tenantId = course.tenantId;
  const large = await seedExportActivity(tenantId, 'flood-large', 'Flood Large');
  await seedClaims(tenantId, large, [someUserId(), someUserId()], 150);
  const small = await seedExportActivity(tenantId, 'flood-small', 'Flood Small');
  await seedClaims(tenantId, small, [someUserId()], 10);
});

const pending = () =>
  CmeExportModel.countDocuments({ tenantId, mode: 'job', status: { $in: ['queued', 'running'] } });

async function recreate(id: string) {
  const csrf = csrfTokenOf((await admin.get('/cme/admin/exports/log').expect(200)).text);
  return admin
    .post(`/cme/admin/exports/${id}/recreate`)
    .type('form')
    .set('Accept', 'text/html')
    .send({ _csrf: csrf });
}

describe('how many jobs one admin can queue', () => {
  it('when the admin posts the same large export 12 times, then one job is queued and every post leads to it', async () => {
    const locations = new Set<string>();
    for (let index = 0; index < 12; index += 1) {
      const posted = await postExport(admin, { activity: 'flood-large', format: 'claims-csv' });
      expect(posted.status).toBe(303);
      locations.add(posted.headers.location!);
    }
    expect(await pending()).toBeLessThanOrEqual(3);
    expect(await pending()).toBe(1);
    expect(locations.size).toBe(1);
  });

  it('when the admin presses "Re-create and verify" 12 times on one small export, then one re-creation is queued and every press leads to it', async () => {
    await CmeExportModel.deleteMany({ tenantId, mode: 'job' });
    const made = await postExport(admin, { activity: 'flood-small', format: 'claims-csv' });
    expect(made.status).toBe(200);
    // The record is completed once the last byte left the server: a moment after the client has it all.
    const download = (await CmeExportModel.findOne({ tenantId, 'filter.activity': 'flood-small' }).lean())!;
    const original = await exportReaches(String(download._id));
    expect(original.status).toBe('complete');
    const ids = new Set<string>();
    for (let index = 0; index < 12; index += 1) {
      const posted = await recreate(String(original._id));
      expect(posted.status).toBe(303);
      ids.add(exportIdOf(posted.headers.location!));
    }
    expect(await pending()).toBeLessThanOrEqual(1);
    expect(ids.size).toBe(1);
  });

  it('when the tenant already has 3 jobs pending, then a 4th export and a re-creation are refused with 409 and a page linking to the 3', async () => {
    await CmeExportModel.deleteMany({ tenantId, mode: 'job' });
    const first = await postExport(admin, { activity: 'flood-large', format: 'claims-csv' });
    const second = await postExport(admin, { activity: 'flood-large', format: 'pars-csv' });
    const third = await postExport(admin, { activity: 'flood-large', format: 'pars-precheck-csv' });
    const paths = [first, second, third].map((posted) => posted.headers.location!);
    expect(new Set(paths).size).toBe(3);

    const fourth = await postExport(admin, { activity: 'flood-large', format: 'pars-xlsx' });
    expect(fourth.status).toBe(409);
    const page = decodeHtml(fourth.body.toString());
    expect(page).toContain('<h1 id="export-busy-title">Exports already in progress</h1>');
    expect(page).toContain('You already have 3 exports waiting or being made.');
    for (const path of paths) expect(page).toContain(`<a href="${path}">`);
    // The way back keeps the filters and the chosen file.
    expect(page).toContain('href="/cme/admin/exports?from=&to=&activity=flood-large');
    expect(page).toContain('format=pars-xlsx"');
    expect(await pending()).toBe(3);

    // A re-creation is a job like any other, even of a 10-row file.
    const small = (await CmeExportModel.findOne({ tenantId, 'filter.activity': 'flood-small' }).lean())!;
    const refused = await recreate(String(small._id));
    expect(refused.status).toBe(409);
    expect(decodeHtml(refused.text)).toContain('Back to the export log');
    expect(await pending()).toBe(3);

    // The same file as a pending one is still answered with it, limit or not.
    const again = await postExport(admin, { activity: 'flood-large', format: 'pars-csv' });
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(paths[1]);
  });

  it('when many identical exports are posted at the same moment, then still one job is queued', async () => {
    await CmeExportModel.deleteMany({ tenantId, mode: 'job' });
    const posts = await Promise.all(
      Array.from({ length: 6 }, () => postExport(admin, { activity: 'flood-large', format: 'claims-csv' })),
    );
    for (const posted of posts) expect(posted.status).toBe(303);
    expect(new Set(posts.map((posted) => posted.headers.location)).size).toBe(1);
    expect(await pending()).toBe(1);
  });
});

describe('the worker serves tenants in turn', () => {
  it('when one tenant queued 3 jobs before another tenant’s one, then the other tenant’s job runs second, not last', async () => {
    await CmeExportModel.deleteMany({ mode: 'job' });
    const other = await TenantModel.create({
      issuer: 'https://other-lms.example',
      clientId: 'fair-client',
      deploymentId: 'exports-fair',
    });
    const otherId = String(other._id);
    const otherActivity = await seedExportActivity(otherId, 'fair-other', 'Other Tenant Activity');
    await seedClaims(otherId, otherActivity, [someUserId()], 10);
    const base = Date.now() - 60_000;
    const job = (tenant: string, activity: string, format: string, minute: number) => ({
      tenantId: tenant,
      format,
      filter: { from: '', to: '', activity, creditType: '', profession: '' },
      asOf: new Date(base + 30_000),
      timeZone: 'UTC',
      requestedBy: { kind: 'account', id: 'someone', name: 'Coordinator' },
      requestedAt: new Date(base + minute * 1000),
      mode: 'job',
      status: 'queued',
      entriesTotal: 10,
      fileName: 'rounds-file.csv',
      contentType: 'text/csv; charset=utf-8',
      lease: { owner: '', until: new Date(base) },
    });
    const created = await CmeExportModel.create([
      job(tenantId, 'flood-small', 'claims-csv', 1),
      job(tenantId, 'flood-small', 'pars-csv', 2),
      job(tenantId, 'flood-small', 'pars-precheck-csv', 3),
      job(otherId, 'fair-other', 'claims-csv', 4),
    ]);
    const worker = startExportJobs(rounds.config, createLogger('silent'), { pollMilliseconds: 3_600_000 });
    try {
      expect(await worker.drain()).toBe(4);
    } finally {
      await worker.stop();
    }
    const runs = await CmeExportModel.find({ _id: { $in: created.map((record) => record._id) } }).lean<
      Array<{ tenantId: unknown; format: string; status: string; startedAt?: Date }>
    >();
    // Done (a PARS file of learners without profiles is empty), each with the moment its worker took it.
    expect(runs.map((record) => record.status).sort()).toEqual(['complete', 'complete', 'empty', 'empty']);
    const order = runs
      .sort((a, b) => a.startedAt!.getTime() - b.startedAt!.getTime())
      .map((record) => `${String(record.tenantId) === otherId ? 'other' : 'this'} ${record.format}`);
    expect(order).toEqual(['this claims-csv', 'other claims-csv', 'this pars-csv', 'this pars-precheck-csv']);
  });
});
