import { DateTime } from 'luxon';
import { CmeExportModel } from '../../../../src/cme/exports';
import { startExport } from '../../../../src/cme/exports/export.service';
import { ValidationError } from '../../../../src/shared/errors';
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
  seedPhysicianProfile,
  someUserId,
  useExportWorker,
} from './exports.support';

// What the export pages say of a record (issue 14 review): the instant its data was read ("Claims recorded up
// to", the request less cmeExportSettleSeconds), who downloaded a kept file, times in the zone the export was
// made in, and — on the form — per file the same count that decides whether it downloads at once or runs in the
// background; an Excel file over Excel's row limit is refused before anything is made.

const rounds = useTestRounds({ cmeExportInlineMaxRows: 100 });
useExportWorker(rounds);
let course: SandboxCourse;
let admin: Agent;

const mixed = { from: '', to: '', activity: 'records-mixed' };
const shown = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toFormat('d LLL yyyy, HH:mm');

beforeAll(async () => {
  admin = await adminAgent(rounds);
  course = await sandboxCourseIn(rounds);
  await TenantModel.updateOne({ _id: course.tenantId }, { $set: { timeZone: 'America/Chicago' } });
  const physicianId = someUserId();
  await seedPhysicianProfile(course.tenantId, physicianId, ['Priya', 'Raman']);
  // 80 physicians' AMA claims and 80 nurses' ANCC claims: 160 for the claims CSV, 80 for PARS or CE Broker.
  const activity = await seedExportActivity(course.tenantId, 'records-mixed', 'Mixed Professions');
  await seedClaims(course.tenantId, activity, [physicianId], 80);
  await seedClaims(course.tenantId, activity, [someUserId()], 80, {
    creditType: 'ancc',
    profession: 'nurse',
  });
});

/** The large claims CSV, made by a job (the first test makes it). */
async function claimsJob() {
  return (await CmeExportModel.findOne({ 'filter.activity': 'records-mixed', format: 'claims-csv' }).lean())!;
}

describe('the form says what each file does', () => {
  it('when more claims match than the inline limit but a file reads fewer, then that file says it downloads at once, and it does', async () => {
    const page = decodeHtml(
      (await admin.get(`/cme/admin/exports?${new URLSearchParams(mixed)}`).expect(200)).text,
    );
    expect(page).toContain('<strong>160</strong> claims match');
    expect(page).toContain(
      'id="export-format-claims-csv-note">Reads 160 claims: made in the background, then kept for you to download.',
    );
    expect(page).toContain('id="export-format-pars-csv-note">Reads 80 claims: downloads at once.');
    expect(page).toContain('id="export-format-ce-broker-csv-note">Reads 80 claims: downloads at once.');
    expect(page).toContain('Claims recorded up to');

    const pars = await postExport(admin, { ...mixed, format: 'pars-csv' });
    expect(pars.status).toBe(200);
    expect(pars.headers['content-disposition']).toMatch(/^attachment/);
    const job = await postExport(admin, { ...mixed, format: 'claims-csv' });
    expect(job.status).toBe(303);
    await exportReaches(exportIdOf(job.headers.location!));
  });

  it('when an Excel file would hold more rows than a sheet takes, then it is refused before anything is made', async () => {
    const before = await CmeExportModel.countDocuments({ tenantId: course.tenantId });
    const sam = {
      tenantId: course.tenantId,
      name: 'Sam',
      recordedBy: { kind: 'lti-admin' as const, id: '2', name: 'Sam' },
    };
    const refused = startExport(
      sam,
      { filter: { ...mixed, creditType: '', profession: '' }, format: 'pars-xlsx' },
      { inlineMaxRows: 100, settleSeconds: 5, xlsxMaxRows: 50 },
    );
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({
      fields: {
        format: expect.stringMatching(
          /^These filters select 80 PARS claims, more than an Excel sheet holds \(1,048,575 rows\)\. Choose the PARS CSV/,
        ),
      },
    });
    expect(await CmeExportModel.countDocuments({ tenantId: course.tenantId })).toBe(before);
  });
});

describe('what the job page records', () => {
  it('when a job is made, then its data is read up to the settle margin before the request, and the page says so', async () => {
    const record = await claimsJob();
    expect(record.requestedAt.getTime() - record.asOf.getTime()).toBe(
      rounds.config.cmeExportSettleSeconds * 1000,
    );
    const page = decodeHtml((await admin.get(`/cme/admin/exports/${String(record._id)}`).expect(200)).text);
    expect(page).toContain(
      `<dt>Data as of</dt><dd>Claims recorded up to ${shown(record.asOf, 'America/Chicago')} (America/Chicago)</dd>`,
    );
    expect(page).toContain('<dt>Started at</dt>');
    expect(page).toContain('Nobody has downloaded this file yet.');
  });

  it('when the kept file is downloaded, then the record remembers who and when (the latest 50), and the page lists them', async () => {
    const record = await claimsJob();
    const path = `/cme/admin/exports/${String(record._id)}`;
    await admin.get(`${path}/file`).buffer(true).parse(binary).expect(200);
    await admin.get(`${path}/file`).buffer(true).parse(binary).expect(200);
    const twice = (await CmeExportModel.findById(record._id).lean<{
      downloads: Array<{ at: Date; by: { name: string; kind: string } }>;
    }>())!;
    expect(twice.downloads.map((download) => [download.by.name, download.by.kind])).toEqual([
      ['Sam', 'lti-admin'],
      ['Sam', 'lti-admin'],
    ]);
    const page = decodeHtml((await admin.get(path).expect(200)).text);
    expect(page).toContain(
      `<li>${shown(twice.downloads[1]!.at, 'America/Chicago')} (America/Chicago) — Sam (LMS admin)</li>`,
    );

    // Fifty earlier downloads on record: the next one pushes the oldest out.
    const earlier = Array.from({ length: 50 }, (_, index) => ({
      at: new Date(Date.now() - (60 - index) * 60_000),
      by: { kind: 'account', id: `a${index}`, name: `Earlier ${index}` },
    }));
    await CmeExportModel.updateOne({ _id: record._id }, { $set: { downloads: earlier } });
    await admin.get(`${path}/file`).buffer(true).parse(binary).expect(200);
    const capped = (await CmeExportModel.findById(record._id).lean<{
      downloads: Array<{ by: { name: string } }>;
    }>())!;
    expect(capped.downloads).toHaveLength(50);
    expect(capped.downloads[0]!.by.name).toBe('Earlier 1');
    expect(capped.downloads[49]!.by.name).toBe('Sam');
  });

  it('when the organization changes its time zone, then the job page and the log still show the export’s times in the zone it was made in', async () => {
    const record = await claimsJob();
    await TenantModel.updateOne({ _id: course.tenantId }, { $set: { timeZone: 'Europe/Berlin' } });
    try {
      const page = decodeHtml((await admin.get(`/cme/admin/exports/${String(record._id)}`).expect(200)).text);
      expect(page).toContain(
        `<dt>Asked for at</dt><dd>${shown(record.requestedAt, 'America/Chicago')} (America/Chicago)</dd>`,
      );
      const log = decodeHtml((await admin.get('/cme/admin/exports/log').expect(200)).text);
      expect(log).toContain(
        'Times in Europe/Berlin, unless a row names the time zone its export was made in.',
      );
      expect(log).toContain(
        `${shown(record.requestedAt, 'America/Chicago')} <span class="cme-export-log__zone">(America/Chicago)</span>`,
      );
    } finally {
      await TenantModel.updateOne({ _id: course.tenantId }, { $set: { timeZone: 'America/Chicago' } });
    }
  });
});
