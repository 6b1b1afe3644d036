import http from 'node:http';
import mongoose from 'mongoose';
import { CmeExportModel } from '../../../../src/cme/exports';
import { TenantModel } from '../../../../src/tenancy';
import {
  csrfTokenOf,
  decodeHtml,
  sandboxCourseIn,
  setCookies,
  signedInAs,
  useTestRounds,
  type Agent,
  type SandboxCourse,
} from '../../../support';
import { signInAccount } from '../../../support/accounts';
import {
  binary,
  exportFormToken,
  exportIdOf,
  exportReaches,
  postExport,
  seedClaims,
  seedExportActivity,
  seedPhysicianProfile,
  sha256Of,
  someUserId,
  useExportWorker,
} from './exports.support';

// The export pages (issue 14): who may open them, the form's count and refusals, a small export streamed in the
// response and audit-logged with its hash, re-create and verify, and an interrupted download.

const rounds = useTestRounds();
useExportWorker(rounds);
let course: SandboxCourse;
let admin: Agent;
let adminCookie: string;
let physician: Agent;
let otherAdmin: Agent;
/** An export of this tenant (complete, a download) and one of another tenant. */
let ownExportId: string;
let otherExportId: string;

const grandRounds = { from: '2025-03-01', to: '2025-03-31', activity: 'exports-grand-rounds' };

beforeAll(async () => {
  physician = (await signedInAs(rounds, 'physician')).agent;
  const launched = await signedInAs(rounds, 'cmeAdmin');
  admin = launched.agent;
  // The session cookie as a browser sends it, for a raw request the test cuts off.
  adminCookie = /((?:__Host-)?rounds_session=[^;]*)/.exec(setCookies(launched.launch))![1]!;
  course = await sandboxCourseIn(rounds);
  await TenantModel.updateOne({ _id: course.tenantId }, { $set: { timeZone: 'America/Chicago' } });
  const physicianId = await course.userId('4');
  await seedPhysicianProfile(course.tenantId, physicianId, ['Priya', 'Raman']);

  // Grand Rounds: 12 physician claims completed in March 2025 (one a day from 1 March), 3 more in April.
  const activity = await seedExportActivity(
    course.tenantId,
    'exports-grand-rounds',
    'Grand Rounds: Moral Distress',
  );
  await seedClaims(course.tenantId, activity, [physicianId], 12, { firstDate: '2025-03-01' });
  await seedClaims(course.tenantId, activity, [physicianId], 3, { firstDate: '2025-04-10' });
  // Learners without a reporting profile: no PARS consent, so no PARS row.
  const unconsented = await seedExportActivity(
    course.tenantId,
    'exports-unconsented',
    'Sleep and Night Shifts',
  );
  await seedClaims(course.tenantId, unconsented, [someUserId(), someUserId()], 4, {
    firstDate: '2025-05-01',
  });
  // Enough rows that a download takes a while (the interrupted download).
  const bulk = await seedExportActivity(course.tenantId, 'exports-bulk', 'Bulk Activity');
  await seedClaims(course.tenantId, bulk, [someUserId(), someUserId(), someUserId()], 8000);

  const other = await TenantModel.create({
    issuer: 'https://other-lms.example',
    clientId: 'other-client',
    deploymentId: 'exports-other',
  });
  otherAdmin = (
    await signInAccount(rounds, { roles: [{ role: 'cme-admin', tenantId: String(other._id) }], totp: true })
  ).agent;
  otherExportId = String(
    (
      await CmeExportModel.create({
        tenantId: other._id,
        format: 'claims-csv',
        filter: {},
        asOf: new Date(),
        timeZone: 'UTC',
        requestedBy: { kind: 'account', id: 'someone', name: 'Other Coordinator' },
        requestedAt: new Date(),
        mode: 'download',
        status: 'complete',
        entriesTotal: 1,
        rowCount: 1,
        sha256: 'a'.repeat(64),
        fileName: 'rounds-claims-all.csv',
      })
    )._id,
  );
  const first = await postExport(admin, { ...grandRounds, format: 'claims-csv' });
  expect(first.status).toBe(200);
  ownExportId = String((await CmeExportModel.findOne({ tenantId: course.tenantId }).lean())!._id);
});

const exportPaths = (id: string) => [
  `/cme/admin/exports/${id}`,
  `/cme/admin/exports/${id}/status`,
  `/cme/admin/exports/${id}/file`,
];

describe('who may use the export pages', () => {
  it('when a learner opens any export page or posts its forms, then each answers 403 and shows nothing of the exports', async () => {
    const gets = ['/cme/admin/exports', '/cme/admin/exports?from=2025-03-01', '/cme/admin/exports/log'];
    for (const path of [...gets, ...exportPaths(ownExportId)]) {
      const answer = await physician.get(path).set('Accept', 'text/html');
      expect([path, answer.status]).toEqual([path, 403]);
      expect(answer.text).not.toContain('Grand Rounds');
      expect(answer.headers['content-disposition']).toBeUndefined();
    }
    const csrf = csrfTokenOf((await physician.get('/cme/profile').expect(200)).text);
    for (const path of ['/cme/admin/exports', `/cme/admin/exports/${ownExportId}/recreate`]) {
      const answer = await physician
        .post(path)
        .type('form')
        .send({ _csrf: csrf, ...grandRounds, format: 'claims-csv' });
      expect([path, answer.status]).toEqual([path, 403]);
    }
    expect(await CmeExportModel.countDocuments({ tenantId: course.tenantId })).toBe(1);
  });

  it('when a CME admin of another tenant asks for this tenant’s export (page, status, file, re-create), then 403', async () => {
    for (const path of exportPaths(ownExportId)) {
      const answer = await otherAdmin.get(path).set('Accept', 'text/html');
      expect([path, answer.status]).toEqual([path, 403]);
      expect(answer.text).not.toContain('Grand Rounds');
    }
    const csrf = await exportFormToken(otherAdmin);
    await otherAdmin
      .post(`/cme/admin/exports/${ownExportId}/recreate`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(403);
    const log = decodeHtml((await otherAdmin.get('/cme/admin/exports/log').expect(200)).text);
    expect(log).toContain('Other Coordinator');
    expect(log).not.toContain(ownExportId);
    // And the other way round: this tenant's admin is refused the other tenant's export.
    for (const path of exportPaths(otherExportId)) {
      await admin.get(path).set('Accept', 'text/html').expect(403);
    }
  });

  it('when the id is not an export id or no export has it, then 404', async () => {
    await admin.get('/cme/admin/exports/not-an-id').set('Accept', 'text/html').expect(404);
    await admin.get(`/cme/admin/exports/${new mongoose.Types.ObjectId()}/status`).expect(404);
  });
});

describe('the export form', () => {
  it('when the admin applies filters, then the page says how many claims match and offers the files', async () => {
    const first = decodeHtml((await admin.get('/cme/admin/exports').expect(200)).text);
    expect(first).toContain('<h1>CME exports</h1>');
    expect(first).not.toContain('Make the file');
    const page = decodeHtml(
      (await admin.get(`/cme/admin/exports?${new URLSearchParams(grandRounds)}`).expect(200)).text,
    );
    expect(page).toMatch(/<strong>12<\/strong> claims match\s+these filters/);
    expect(page).toContain('<option value="exports-grand-rounds" selected>');
    expect(page).toContain('name="format" value="pars-csv"');
    expect(page).toContain('ACCME PARS learner completions (CSV)');
    expect(page).toContain('<button class="button" type="submit">Make the file</button>');
    // The POST form carries the counted filters.
    expect(page).toContain('<input type="hidden" name="from" value="2025-03-01">');
  });

  it('when a link preselects a file, then counting keeps it chosen', async () => {
    const first = decodeHtml((await admin.get('/cme/admin/exports?format=cpe-monitor-csv').expect(200)).text);
    expect(first).toContain('<input type="hidden" name="format" value="cpe-monitor-csv">');
    const counted = decodeHtml(
      (
        await admin.get(
          `/cme/admin/exports?${new URLSearchParams({ ...grandRounds, format: 'cpe-monitor-csv' })}`,
        )
      ).text,
    );
    expect(counted).toContain(
      'value="cpe-monitor-csv" aria-describedby="export-format-cpe-monitor-csv-hint export-format-cpe-monitor-csv-note" checked',
    );
  });

  it('when the range ends before it starts, a date is not real or the activity is unknown, then 400 with the message at the field and the input kept', async () => {
    const reversed = decodeHtml(
      (await admin.get('/cme/admin/exports?from=2025-06-30&to=2025-01-01').expect(400)).text,
    );
    expect(reversed).toContain('<a href="#export-to">The end date must be on or after the start date.</a>');
    expect(reversed).toContain('value="2025-06-30"');
    expect(reversed).toContain('value="2025-01-01"');
    expect(reversed).not.toContain('Make the file');
    const badDate = decodeHtml((await admin.get('/cme/admin/exports?from=2025-02-30').expect(400)).text);
    expect(badDate).toContain('<a href="#export-from">Enter the start date as a real date');
    const unknown = decodeHtml(
      (await admin.get('/cme/admin/exports?activity=no-such-activity').expect(400)).text,
    );
    expect(unknown).toMatch(/<a href="#export-activity">Choose an activity from the list/);
  });

  it('when the filters select nothing, then the page says so and a post makes no file and no record', async () => {
    const nothing = { from: '2020-01-01', to: '2020-12-31', activity: '' };
    const page = decodeHtml(
      (await admin.get(`/cme/admin/exports?${new URLSearchParams(nothing)}`).expect(200)).text,
    );
    expect(page).toContain('No claims match these filters.');
    expect(page).not.toContain('Make the file');
    const before = await CmeExportModel.countDocuments({ tenantId: course.tenantId });
    const posted = await postExport(admin, { ...nothing, format: 'claims-csv' });
    expect(posted.status).toBe(400);
    expect(posted.headers['content-disposition']).toBeUndefined();
    expect(decodeHtml(posted.body.toString())).toContain(
      'Nothing matches these filters, so no file was made.',
    );
    // A reversed range posted by hand is refused the same way.
    const reversed = await postExport(admin, { from: '2025-06-30', to: '2025-01-01', format: 'claims-csv' });
    expect(reversed.status).toBe(400);
    expect(decodeHtml(reversed.body.toString())).toContain(
      'The end date must be on or after the start date.',
    );
    expect(await CmeExportModel.countDocuments({ tenantId: course.tenantId })).toBe(before);
  });

  it('when the claims hold none of the chosen file’s credit type, then 400 naming why, and no record', async () => {
    const before = await CmeExportModel.countDocuments({ tenantId: course.tenantId });
    const posted = await postExport(admin, { ...grandRounds, format: 'cpe-monitor-csv' });
    expect(posted.status).toBe(400);
    expect(decodeHtml(posted.body.toString())).toContain(
      'None of the 12 matching claims belongs in the CPE Monitor batch (CSV): it takes ACPE claims of pharmacists and pharmacy technicians.',
    );
    expect(await CmeExportModel.countDocuments({ tenantId: course.tenantId })).toBe(before);
  });

  it('when no claim qualifies for the file (no learner consented to PARS), then back to the form with a message, and the record says empty', async () => {
    const posted = await postExport(admin, { activity: 'exports-unconsented', format: 'pars-csv' });
    expect(posted.status).toBe(303);
    expect(posted.headers['content-disposition']).toBeUndefined();
    const form = decodeHtml((await admin.get(posted.headers.location!).expect(200)).text);
    expect(form).toContain(
      'No claim in these filters belongs in the ACCME PARS learner completions (CSV), so no file was made.',
    );
    expect(form).toContain(
      'value="pars-csv" aria-describedby="export-format-pars-csv-hint export-format-pars-csv-note" checked',
    );
    const record = await CmeExportModel.findOne({ 'filter.activity': 'exports-unconsented' }).lean();
    expect(record).toMatchObject({ status: 'empty', rowCount: 0 });
    expect(record!.sha256).toBeUndefined();
    expect(record!.fileId).toBeUndefined();
  });
});

describe('a small export, streamed in the response', () => {
  it('when the admin makes a file, then it downloads at once and the log records who, when, the filter, rows and its SHA-256', async () => {
    const file = await postExport(admin, { ...grandRounds, format: 'claims-csv' });
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(file.headers['content-disposition']).toMatch(
      /^attachment; filename="?rounds-claims-2025-03-01-to-2025-03-31\.csv"?$/,
    );
    expect(file.headers['cache-control']).toBe('no-store');
    const lines = (file.body as Buffer)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines).toHaveLength(13);
    expect(lines[0]).toMatch(/^Entry Number,Kind,Learner/);
    // The record is completed once the last byte left the server: a moment after the client has it all.
    const latest = await CmeExportModel.findOne({ tenantId: course.tenantId })
      .sort({ requestedAt: -1 })
      .lean();
    const record = await exportReaches(String(latest!._id));
    expect(record).toMatchObject({ format: 'claims-csv', mode: 'download', rowCount: 12, entriesTotal: 12 });
    expect(record!.sha256).toBe(sha256Of(file.body));
    expect(record!.bytes).toBe(file.body.length);
    expect(record!.fileId).toBeUndefined();

    const log = decodeHtml((await admin.get('/cme/admin/exports/log').expect(200)).text);
    expect(log).toContain(`<code class="cme-export-hash">${record!.sha256}</code>`);
    expect(log).toContain(
      'Completion dates: 2025-03-01 to 2025-03-31; Activity: Grand Rounds: Moral Distress',
    );
    // Who, and how they signed in; the file's size beside its rows.
    expect(log).toContain('<span class="cme-export-log__who">Sam (LMS admin)</span>');
    expect(log).toContain(
      `12<br><span class="cme-export-log__size">${(record!.bytes! / 1024).toFixed(1)} KB (${record!.bytes!.toLocaleString('en-US')} bytes)</span>`,
    );
  });

  it('when the same filter is exported twice, then the files are byte-identical and both hashes in the log match them', async () => {
    const first = await postExport(admin, { ...grandRounds, format: 'pars-csv' });
    const second = await postExport(admin, { ...grandRounds, format: 'pars-csv' });
    expect(first.status).toBe(200);
    expect(Buffer.compare(first.body, second.body)).toBe(0);
    const ids = await CmeExportModel.find({
      tenantId: course.tenantId,
      format: 'pars-csv',
      'filter.activity': grandRounds.activity,
    }).distinct('_id');
    const records = await Promise.all(ids.map((id) => exportReaches(String(id))));
    expect(records.map((record) => record.sha256)).toEqual([sha256Of(first.body), sha256Of(first.body)]);
  });

  it('when the client goes away mid-download, then the export is recorded failed, never complete', async () => {
    const csrf = await exportFormToken(admin);
    const cookie = adminCookie;
    const body = new URLSearchParams({
      _csrf: csrf,
      from: '',
      to: '',
      activity: 'exports-bulk',
      creditType: '',
      profession: '',
      format: 'claims-csv',
    }).toString();
    const firstBytes = await new Promise<number>((resolve, reject) => {
      const request = http.request(`${rounds.url}/cme/admin/exports`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      });
      request.on('response', (response) => {
        expect(response.statusCode).toBe(200);
        response.once('data', (chunk: Buffer) => {
          request.destroy();
          resolve(chunk.length);
        });
      });
      request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
      request.end(body);
    });
    expect(firstBytes).toBeGreaterThan(0);
    const record = await exportReaches(
      String((await CmeExportModel.findOne({ 'filter.activity': 'exports-bulk' }).lean())!._id),
      ['complete', 'failed'],
    );
    expect(record.status).toBe('failed');
    expect(record.failure).toBe('The download was interrupted before the whole file was sent.');
    expect(record.sha256).toBeUndefined();
  });
});

describe('re-create and verify', () => {
  it('when the admin re-creates a past export, then the new job reports that it matches the recorded hash', async () => {
    const csrf = await exportFormToken(admin);
    const posted = await admin
      .post(`/cme/admin/exports/${ownExportId}/recreate`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    const id = exportIdOf(posted.headers.location!);
    const record = await exportReaches(id);
    const original = await CmeExportModel.findById(ownExportId).lean();
    expect(record).toMatchObject({ status: 'complete', matchesRecorded: true, sha256: original!.sha256 });
    expect(String(record.recreationOf)).toBe(ownExportId);
    const page = decodeHtml((await admin.get(posted.headers.location!).expect(200)).text);
    expect(page).toContain('✓ Matches the recorded hash.');
    const file = await admin.get(`/cme/admin/exports/${id}/file`).buffer(true).parse(binary).expect(200);
    expect(sha256Of(file.body)).toBe(original!.sha256);
  });

  it('when the recorded hash was altered in the database, then the re-creation reports that it does NOT match', async () => {
    await CmeExportModel.updateOne({ _id: ownExportId }, { $set: { sha256: 'f'.repeat(64) } });
    const csrf = await exportFormToken(admin);
    const posted = await admin
      .post(`/cme/admin/exports/${ownExportId}/recreate`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    const record = await exportReaches(exportIdOf(posted.headers.location!));
    expect(record).toMatchObject({ status: 'complete', matchesRecorded: false });
    const page = decodeHtml((await admin.get(posted.headers.location!).expect(200)).text);
    expect(page).toContain('✗ Does NOT match the recorded hash.');
    const log = decodeHtml((await admin.get('/cme/admin/exports/log').expect(200)).text);
    expect(log).toContain('✓ matches the recorded hash');
    expect(log).toContain('✗ does NOT match the recorded hash');
  });

  it('when an export made no file, then it cannot be re-created (409)', async () => {
    const empty = await CmeExportModel.findOne({ status: 'empty', tenantId: course.tenantId }).lean();
    const csrf = await exportFormToken(admin);
    await admin
      .post(`/cme/admin/exports/${String(empty!._id)}/recreate`)
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: csrf })
      .expect(409);
  });
});
