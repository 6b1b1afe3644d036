import { Writable } from 'node:stream';
import {
  CmeExportReceiptModel,
  writeExport,
  type ExportFilter,
  type ExportRequest,
} from '../../../../src/cme/exports';
import { ValidationError } from '../../../../src/shared/errors';
import { useTestDatabase } from '../../../support';
import {
  collectingSink,
  exportOf,
  linesOf,
  revoke,
  seedActivity,
  seedEntry,
  seedProfile,
  seedTenant,
  validNpi,
} from './engine.support';

// The export engine's other files (issue 14, item 2): CPE Monitor with its 60-day window, CE Broker for nurses,
// the claims CSV with revocations marked and formulas defused; and what an export does when nothing qualifies,
// the input is wrong, the sink fails or the export is stopped.
useTestDatabase();

// 1 June 2026, noon in Chicago: "today" for CPE Monitor's day count.
const asOf = new Date('2026-06-01T17:00:00Z');
const all: ExportFilter = { from: '', to: '', activity: '', creditType: '', profession: '' };
let tenantId: string;
let activityKey: string;
let activityId: string;
let physicianId: string;
let request: (format: ExportRequest['format'], filter?: Partial<ExportFilter>) => ExportRequest;

beforeAll(async () => {
  tenantId = await seedTenant('export-files');
  request = (format, filter = {}) => ({
    tenantId,
    format,
    filter: { ...all, ...filter },
    asOf,
    timeZone: 'America/Chicago',
  });
  const activity = await seedActivity(tenantId, { title: '=HYPERLINK("http://evil.example","Click")' });
  activityKey = activity.key;
  activityId = String(activity._id);
  const entry = (
    userId: string,
    creditType: string,
    profession: string,
    completionDate: string,
    amount = 1,
  ) =>
    seedEntry({
      tenantId,
      userId,
      activity,
      creditType,
      amount,
      completionDate,
      profession,
      learnerName: 'Seeded',
    });

  const marcus = await seedProfile(tenantId, {
    profession: 'pharmacist',
    firstName: 'Marcus',
    lastName: 'Lee',
    nabpEprofileId: '1234567',
    birthMonthDay: '0912',
    consents: ['cpeMonitor'],
  });
  await entry(marcus, 'acpe', 'pharmacist', '2026-04-01', 1.5); // day 61
  await entry(marcus, 'acpe', 'pharmacist', '2026-04-12', 2); // day 50
  await entry(marcus, 'acpe', 'pharmacist', '2026-05-22', 0.75); // day 10
  const noEprofile = await seedProfile(tenantId, {
    profession: 'pharmacy-technician',
    firstName: 'Tess',
    lastName: 'Nguyen',
    nabpEprofileId: '12AB',
    birthMonthDay: '0101',
    consents: ['cpeMonitor'],
  });
  await entry(noEprofile, 'acpe', 'pharmacy-technician', '2026-05-01');

  const nurse = await seedProfile(tenantId, {
    profession: 'nurse',
    firstName: 'Lee',
    lastName: 'Park',
    licenseNumber: 'RN9876543',
    licenseState: 'FL',
    consents: ['ceBroker'],
  });
  await entry(nurse, 'ancc', 'nurse', '2026-05-05', 3);
  // An ANCC entry recorded under another profession is no nurse's: not for CE Broker.
  const other = await seedProfile(tenantId, {
    profession: 'other',
    firstName: 'Sam',
    lastName: 'Other',
    licenseNumber: 'X1',
    licenseState: 'TX',
    consents: ['ceBroker'],
  });
  await entry(other, 'ancc', 'other', '2026-05-06', 1);
  const physician = await seedProfile(tenantId, {
    profession: 'physician-md',
    firstName: 'Priya',
    lastName: 'Raman',
    npi: validNpi('123456789'),
    birthMonthDay: '0704',
    consents: ['pars', 'ceBroker', 'cpeMonitor'],
  });
  physicianId = physician;
  const claim = await entry(physician, 'ama-pra-1', 'physician-md', '2026-05-07', 2);
  await revoke(claim, new Date('2026-05-20T12:00:00Z'));
  await seedEntry({
    tenantId,
    userId: physician,
    activity,
    creditType: 'ama-pra-1',
    amount: 1.5,
    completionDate: '2026-05-07',
    profession: 'physician-md',
    learnerName: '@Priya Raman',
    kind: 'reissue',
    reissueOfEntryId: claim._id,
    recordedAt: new Date('2026-05-20T12:05:00Z'),
    reason: '-corrected amount, as asked\nby the learner',
  });
  // Recorded after the export's instant: in no file made as of it.
  await seedEntry({
    tenantId,
    userId: nurse,
    activity,
    creditType: 'ancc',
    amount: 1,
    completionDate: '2026-05-30',
    profession: 'nurse',
    recordedAt: new Date('2026-06-02T12:00:00Z'),
  });
});

describe('the CPE Monitor batch', () => {
  it('when a pharmacist’s claims are 10, 50 and 61 days old, then they are flagged ok, approaching (day 50) and past (day 61)', async () => {
    const { text, bytes } = await exportOf(request('cpe-monitor-csv'));
    expect(linesOf(text)).toEqual([
      'NABP e-Profile ID,Date of Birth (MMDD),UAN,Participation Date,Credit Hours,Days Since Participation,Reporting Window',
      '1234567,0912,JA0000123-0000-26-001-H04-P,04/01/2026,1.5,61,past (day 61)',
      '1234567,0912,JA0000123-0000-26-001-H04-P,04/12/2026,2,50,approaching (day 50)',
      '1234567,0912,JA0000123-0000-26-001-H04-P,05/22/2026,0.75,10,ok',
    ]);
    // An upload file machines read: no byte-order mark before its header.
    expect(bytes.subarray(0, 4).toString()).toBe('NABP');
  });

  it('when a technician’s e-Profile ID is not digits, then the pre-check names it and the batch leaves the row out', async () => {
    const { text } = await exportOf(request('cpe-monitor-precheck-csv'));
    expect(linesOf(text).slice(1)).toEqual([
      expect.stringMatching(
        /^05\/01\/2026,Tess Nguyen,.*,RND-[^,]+,The NABP e-Profile ID “12AB” is not digits only: correct it$/,
      ),
    ]);
  });
});

describe('the CE Broker roster', () => {
  it('when nurses and others have ANCC hours, then only the nurse’s are in the file, with her license and state', async () => {
    const { text, result } = await exportOf(request('ce-broker-csv'));
    expect(linesOf(text)).toEqual([
      'Provider Number,Course Number,License Number,Completion Date,State,Profession,Hours',
      '50-1234,20-555555,RN9876543,05/05/2026,FL,Nurse,3',
    ]);
    expect(result.rowCount).toBe(1);
  });

  it('when the filter asks for pharmacists, then CE Broker has nothing to write', async () => {
    const { result, bytes } = await exportOf(request('ce-broker-csv', { profession: 'pharmacist' }));
    expect(result.rowCount).toBe(0);
    expect(bytes.length).toBe(0);
  });
});

describe('the claims CSV', () => {
  it('when the ledger holds a claim, its revocation and the reissue, then every entry is a row, revoked ones marked with the revocation', async () => {
    const { text } = await exportOf(request('claims-csv', { creditType: 'ama-pra-1' }));
    const lines = linesOf(text);
    expect(lines[0]).toBe(
      'Entry Number,Kind,Learner ID,Learner,Profession,Activity Key,Activity Version ID,Activity Version,' +
        'Activity Title,Credit Type,Amount,Completion Date,Recorded At,Recorded By ID,Recorded By,' +
        'Recorded By Kind,Reason,Revokes Entry,Reissue Of,Revoked,Revoked By,Idempotency Key,Attestation',
    );
    const rows = lines.slice(1).join('\r\n');
    const [claim, revocation, reissue] = ['claim', 'revocation', 'reissue'].map((kind) =>
      lines.find((line) => line.split(',')[1] === kind),
    );
    const claimNumber = claim!.split(',')[0]!;
    const revocationNumber = revocation!.split(',')[0]!;
    expect(claim).toContain(
      `,claim,${physicianId},Seeded,physician-md,${activityKey},${activityId},1,` +
        `"'=HYPERLINK(""http://evil.example"",""Click"")",ama-pra-1,2,2026-05-07,` +
        `2026-05-01T12:00:00.000Z,${physicianId},Seeded,learner,,,,yes,` +
        `${revocationNumber},claim:export-test:`,
    );
    expect(claim).toMatch(/,claim:export-test:\d+,I attest that I completed this activity\.$/);
    expect(revocation).toContain(
      `,coordinator,Dana Coordinator,account,Seeded correction,${claimNumber},,,,revocation:export-test:`,
    );
    // Text a spreadsheet would run is defused; a line break inside a cell is quoted.
    expect(rows).toContain(`,'@Priya Raman,physician-md,`);
    expect(rows).toContain(`,"'-corrected amount, as asked\nby the learner",,${claimNumber},no,,`);
    expect(reissue).toBeDefined();
  });

  it('when an entry was recorded after the export’s instant, then it is in no file made as of it', async () => {
    const { text } = await exportOf(request('claims-csv', { creditType: 'ancc' }));
    expect(text).not.toContain('2026-05-30');
    expect(linesOf(text)).toHaveLength(3);
  });
});

describe('when nothing qualifies or the input is wrong', () => {
  it('when the filter selects nothing, then the sink receives not a byte (not even a header) and is not ended', async () => {
    const { result, sink } = await exportOf(request('pars-csv', { from: '2020-01-01', to: '2020-12-31' }));
    expect(result).toEqual({ rowCount: 0, bytes: 0, sha256: '' });
    expect(sink.writes()).toBe(0);
    expect(sink.writableEnded).toBe(false);
  });

  it('when the activity key is not the tenant’s, then a validation error on the activity field', async () => {
    await expect(
      writeExport(request('claims-csv', { activity: 'no-such-activity' }), collectingSink()),
    ).rejects.toMatchObject({
      constructor: ValidationError,
      fields: { activity: expect.stringContaining('Choose an activity from the list') },
    });
  });
});

describe('when the sink fails or the export is stopped', () => {
  it('when the sink errors, then the export rejects with the sink’s error', async () => {
    const broken = new Writable({
      write(_chunk, _encoding, done) {
        done(new Error('connection reset'));
      },
    });
    broken.on('error', () => undefined);
    await expect(writeExport(request('cpe-monitor-csv'), broken)).rejects.toThrow('connection reset');
  });

  it('when the client goes away while the first bytes are on their way (the sink closes), then the export rejects instead of hanging', async () => {
    const leaving = new Writable({
      write() {
        leaving.destroy();
      },
    });
    await expect(writeExport(request('claims-csv'), leaving)).rejects.toThrow(
      'The sink closed before the export finished',
    );
  });

  it('when the signal aborts, then the export rejects and the sink is not ended', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped by the worker'));
    const sink = collectingSink();
    await expect(writeExport(request('claims-csv'), sink, { signal: controller.signal })).rejects.toThrow(
      'stopped by the worker',
    );
    expect(sink.writableEnded).toBe(false);
  });

  it('when the sink is slow, then the export waits for it and still delivers every byte', async () => {
    const chunks: Buffer[] = [];
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        setTimeout(done, 1);
      },
    });
    const result = await writeExport(request('claims-csv'), slow);
    const expected = await exportOf(request('claims-csv'));
    expect(Buffer.concat(chunks).equals(expected.bytes)).toBe(true);
    expect(result.sha256).toBe(expected.result.sha256);
  });

  it('when a report’s run writes receipts, then they list the written rows’ entries under the export id, except a record past day 60', async () => {
    const exportId = '665f1c2b9d3e4a0012345678';
    const { result, text } = await exportOf(request('cpe-monitor-csv'), { receiptsFor: exportId });
    const receipts = await CmeExportReceiptModel.find({ exportId }).lean();
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({ body: 'cpe-monitor', seq: 0 });
    // The day-61 record is in the file, flagged, but NABP refuses it: it does not count as reported.
    expect(text).toContain(',past (day 61)');
    expect(receipts[0]!.entryIds).toHaveLength(result.rowCount - 1);
    // A re-run (a killed job run again) rewrites the same receipt instead of adding one.
    await exportOf(request('cpe-monitor-csv'), { receiptsFor: exportId });
    expect(await CmeExportReceiptModel.countDocuments({ exportId })).toBe(1);
  });
});
