import { createHash } from 'node:crypto';
import * as XLSX from 'xlsx';
import { claimCredit } from '../../../../src/cme/claims';
import {
  countSelectedEntries,
  countSelection,
  exportFormats,
  type ExportFilter,
  type ExportRequest,
} from '../../../../src/cme/exports';
import { useTestDatabase } from '../../../support';
import {
  editProfile,
  exportOf,
  linesOf,
  reportedExport,
  revoke,
  seedActivity,
  seedCompletion,
  seedEntry,
  seedProfile,
  seedTenant,
  validNpi,
} from './engine.support';

// The export engine's PARS files (issue 14, item 2): who is in them, the template's columns, `delete` records,
// the pre-check, tenant-local dates, XLSX, and the same bytes for the same request.
useTestDatabase();

const asOf = new Date('2026-06-01T17:00:00Z');
const allDates: ExportFilter = {
  from: '2026-01-01',
  to: '2026-06-30',
  activity: '',
  creditType: '',
  profession: '',
};
let tenantId: string;
let request: (format: ExportRequest['format'], filter?: Partial<ExportFilter>, at?: Date) => ExportRequest;
const priyaNpi = validNpi('123456789');
const header =
  'Record Action,ACCME Activity ID,Completion Date,First Name,Last Name,Date of Birth (MM/DD),Licensing State,' +
  'Licensing ID or NPI,Number of CME Credits,Certifying Board,Certifying Board ID,Total Board Credits,Credit Type,' +
  'Credits Awarded for Credit Type';
const ids: Record<string, string> = {};
const numbers: Record<string, string> = {};

beforeAll(async () => {
  tenantId = await seedTenant('export-pars');
  request = (format, filter = {}, at = asOf) => ({
    tenantId,
    format,
    filter: { ...allDates, ...filter },
    asOf: at,
    timeZone: 'America/Chicago',
  });
  const stress = await seedActivity(tenantId);
  const noAccmeId = await seedActivity(tenantId, { accmeActivityId: '', title: 'Sleep and Night Shifts' });

  // Priya: consenting, license + state, board + ID. She claims through the claim service after completing the
  // module at 23:30 on 14 March in Chicago (15 March in UTC).
  ids.priya = await seedProfile(tenantId, {
    profession: 'physician-md',
    firstName: 'Priya',
    lastName: 'Raman',
    npi: priyaNpi,
    licenseNumber: '036123456',
    licenseState: 'IL',
    certifyingBoard: 'American Board of Internal Medicine',
    boardId: '123456',
    birthMonthDay: '0704',
    consents: ['pars'],
  });
  await seedCompletion(tenantId, ids.priya, '2026-03-14T23:30');
  const actor = {
    tenantId,
    userId: ids.priya,
    courseId: tenantId,
    role: 'learner' as const,
    name: 'Priya Raman',
    courseTitle: 'Sandbox',
  };
  const claimed = await claimCredit(
    actor,
    stress.key,
    { attested: true, amounts: { 'ama-pra-1': '1.25' } },
    new Date('2026-03-20T14:00:00Z'),
  );
  if (claimed.outcome !== 'claimed') throw new Error('the claim service asked for a profile');
  numbers.priya = claimed.entries[0]!.number;

  // Omar has not consented to PARS: never in the file.
  ids.omar = await seedProfile(tenantId, {
    profession: 'physician-do',
    firstName: 'Omar',
    lastName: 'Haddad',
    npi: validNpi('223456789'),
    birthMonthDay: '0101',
  });
  // Lena consented but has neither an NPI nor a license: the pre-check lists her.
  ids.lena = await seedProfile(tenantId, {
    profession: 'physician-md',
    firstName: 'Lena',
    lastName: 'Fischer',
    birthMonthDay: '1224',
    consents: ['pars'],
  });
  // Zed's NPI fails its check digit, his birth day does not exist and his state is no state: pre-check, no crash.
  ids.zed = await seedProfile(tenantId, {
    profession: 'physician-md',
    firstName: 'Zed',
    lastName: 'Quinn',
    npi: '1234567890',
    licenseNumber: 'X1',
    licenseState: 'ZZ',
    birthMonthDay: '1301',
    consents: ['pars'],
  });
  // Ana (NPI only, no board) is reported in an earlier complete export; her claim is revoked afterwards.
  ids.ana = await seedProfile(tenantId, {
    profession: 'physician-md',
    firstName: 'Ana',
    lastName: 'Ruiz',
    npi: validNpi('323456789'),
    birthMonthDay: '0229',
    consents: ['pars'],
  });
  const entry = (userId: string, completionDate: string, activity = stress, amount = 2) =>
    seedEntry({
      tenantId,
      userId,
      activity,
      creditType: 'ama-pra-1',
      amount,
      completionDate,
      profession: 'physician-md',
      recordedAt: new Date('2026-04-20T12:00:00Z'),
    });
  await entry(ids.omar, '2026-03-01');
  await entry(ids.lena, '2026-03-02');
  await entry(ids.zed, '2026-03-03');
  const anaClaim = await entry(ids.ana, '2026-02-10', stress, 3);
  numbers.ana = anaClaim.number;
  // Priya's second claim, on the activity without an ACCME ID, revoked before any export: never reported.
  const neverReported = await entry(ids.priya, '2026-02-11', noAccmeId, 1);
  await revoke(neverReported, new Date('2026-04-25T12:00:00Z'));
  // The first quarter's PARS upload, complete on 2 May; Ana's claim is revoked on 10 May.
  await reportedExport(
    request('pars-csv', {}, new Date('2026-05-02T15:00:00Z')),
    new Date('2026-05-02T15:01:00Z'),
  );
  await revoke(anaClaim, new Date('2026-05-10T12:00:00Z'));
});

describe('the PARS CSV', () => {
  it('when a coordinator exports PARS, then the header is the template’s and only consenting learners with complete identifiers are in it', async () => {
    const { result, text, bytes } = await exportOf(request('pars-csv'));
    expect(linesOf(text)).toEqual([
      header,
      'delete,ACCME-7788,02/10/2026,Ana,Ruiz,02/29,,' +
        validNpi('323456789') +
        ',3,,,,AMA PRA Category 1 Credit,3',
      // Completed at 23:30 on 14 March in Chicago: the Chicago date, though it was 15 March in UTC.
      'add,ACCME-7788,03/14/2026,Priya,Raman,07/04,IL,036123456,1.25,American Board of Internal Medicine,123456,1.25,AMA PRA Category 1 Credit,1.25',
    ]);
    expect(text).not.toContain('Omar');
    expect(result).toEqual({
      rowCount: 2,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('when the revoked claim was reported in an earlier complete export, then it is a delete with its add’s fields; never reported, it is left out', async () => {
    const before = await exportOf(request('pars-csv', {}, new Date('2026-05-02T15:00:00Z')));
    const added = linesOf(before.text).find((line) => line.includes('Ana,Ruiz'))!;
    const { text } = await exportOf(request('pars-csv'));
    const deleted = linesOf(text).find((line) => line.includes('Ana,Ruiz'))!;
    expect(deleted).toBe(added.replace(/^add,/, 'delete,'));
    // Priya's revoked claim on the activity without an ACCME ID: in no file at all, not even the pre-check.
    const precheck = await exportOf(request('pars-precheck-csv'));
    expect(precheck.text).not.toContain('Sleep and Night Shifts');
  });

  it('when a complete export already sent a revoked claim’s delete, then later PARS files leave it out (a delete goes once)', async () => {
    await reportedExport(
      request('pars-csv', {}, new Date('2026-06-01T18:00:00Z')),
      new Date('2026-06-01T18:01:00Z'),
    );
    const later = await exportOf(request('pars-csv', {}, new Date('2026-06-02T15:00:00Z')));
    expect(later.text).not.toContain('Ana,Ruiz');
    // As of an hour before that upload, the delete was still to send: a re-creation reads the same as then.
    const { text } = await exportOf(request('pars-csv'));
    expect(linesOf(text).some((line) => line.startsWith('delete,') && line.includes('Ana,Ruiz'))).toBe(true);
  });

  it('when the only export that listed a revoked claim failed half-way, then the claim counts as never reported and is left out', async () => {
    const userId = await seedProfile(tenantId, {
      profession: 'physician-md',
      firstName: 'Bo',
      lastName: 'Lindqvist',
      npi: validNpi('523456789'),
      birthMonthDay: '1111',
      consents: ['pars'],
    });
    const claim = await seedEntry({
      tenantId,
      userId,
      activity: await seedActivity(tenantId),
      creditType: 'ama-pra-1',
      amount: 1,
      completionDate: '2026-01-20',
      profession: 'physician-md',
      recordedAt: new Date('2026-01-21T12:00:00Z'),
    });
    const attempt = request('pars-csv', { to: '2026-01-31' }, new Date('2026-01-25T12:00:00Z'));
    await reportedExport(attempt, new Date('2026-01-25T12:01:00Z'), 'failed');
    await revoke(claim, new Date('2026-01-26T12:00:00Z'));
    const { text } = await exportOf(request('pars-csv'));
    expect(text).not.toContain('Lindqvist');
  });
});

describe('the PARS pre-check', () => {
  it('when learners lack or mistype identifiers, then the pre-check lists each with everything to fix, and the PARS file still comes out', async () => {
    const { text, result } = await exportOf(request('pars-precheck-csv'));
    const lines = linesOf(text);
    expect(lines[0]).toBe('Completion Date,Learner,Activity,Certificate Number,What to fix');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^03\/02\/2026,Lena Fischer,Stress First Aid for Clinical Teams \d+,RND-[^,]+,/);
    // The problem holds a comma: the cell is quoted.
    expect(lines[1]).toMatch(/,"Add the learner’s NPI, or a state license number and its state"$/);
    expect(lines[2]).toMatch(/^03\/03\/2026,Zed Quinn,/);
    expect(lines[2]).toContain(
      'The NPI “1234567890” is not a valid NPI (10 digits, the last a check digit): correct it; ' +
        'The licensing state “ZZ” is not a US state code: correct it; ' +
        'The birth month and day “1301” is not a real day (MMDD): correct it',
    );
    expect(result.rowCount).toBe(2);
    expect(text).not.toContain('Priya');
  });
});

describe('the same request, the same bytes', () => {
  it('when the PARS CSV is made twice, then both files are byte-identical', async () => {
    const first = await exportOf(request('pars-csv'));
    const second = await exportOf(request('pars-csv'));
    expect(second.bytes.equals(first.bytes)).toBe(true);
    expect(second.result.sha256).toBe(first.result.sha256);
  });

  it('when the PARS XLSX is made twice, seconds apart, then both files are byte-identical (no time inside)', async () => {
    const first = await exportOf(request('pars-xlsx'));
    // Zip entry times have a 2-second resolution: a file stamped with the time would differ after this.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const second = await exportOf(request('pars-xlsx'));
    expect(second.bytes.equals(first.bytes)).toBe(true);
    expect(second.result.sha256).toBe(first.result.sha256);
  });
});

describe('the PARS XLSX', () => {
  it('when a spreadsheet reader opens it, then sheet “Learners” holds the header and each row cell by cell, credits as numbers', async () => {
    const { bytes, result } = await exportOf(request('pars-xlsx'));
    expect(result.rowCount).toBe(2);
    const workbook = XLSX.read(bytes, { type: 'buffer' });
    expect(workbook.SheetNames).toEqual(['Learners']);
    const sheet = workbook.Sheets.Learners!;
    expect(sheet['!ref']).toBe('A1:N3');
    const cell = (address: string) => sheet[address] as { t: string; v: string | number } | undefined;
    expect(header.split(',').map((_title, index) => cell(`${XLSX.utils.encode_col(index)}1`)?.v)).toEqual(
      header.split(','),
    );
    const priya = [
      'add',
      'ACCME-7788',
      '03/14/2026',
      'Priya',
      'Raman',
      '07/04',
      'IL',
      '036123456',
      1.25,
      'American Board of Internal Medicine',
      '123456',
      1.25,
      'AMA PRA Category 1 Credit',
      1.25,
    ];
    priya.forEach((value, index) => {
      const address = `${XLSX.utils.encode_col(index)}3`;
      expect([address, cell(address)?.v]).toEqual([address, value]);
      expect([address, cell(address)?.t]).toEqual([address, typeof value === 'number' ? 'n' : 's']);
    });
    expect(cell('A2')?.v).toBe('delete');
    // Ana has no board: its cells stay empty.
    expect([cell('J2'), cell('K2'), cell('L2')].map((value) => value?.v ?? '')).toEqual(['', '', '']);
  });
});

describe('profiles as they stood', () => {
  it('when Priya edits her identifiers after the export’s instant, then that export still shows the old ones; a later one the new', async () => {
    await editProfile(
      ids.priya!,
      {
        profession: 'physician-md',
        firstName: 'Priya',
        lastName: 'Raman-Okafor',
        npi: priyaNpi,
        licenseNumber: '036999999',
        licenseState: 'IL',
        birthMonthDay: '0704',
        consents: ['pars'],
      },
      new Date('2026-07-01T12:00:00Z'),
    );
    const then = await exportOf(request('pars-csv'));
    expect(then.text).toContain('Priya,Raman,07/04,IL,036123456');
    const later = await exportOf(request('pars-csv', {}, new Date('2026-07-02T12:00:00Z')));
    expect(later.text).toContain(
      'Priya,Raman-Okafor,07/04,IL,036999999,1.25,,,,AMA PRA Category 1 Credit,1.25',
    );
  });

  it('when a learner withdrew consent after the instant, then the export as of it keeps her; one as of later leaves her out', async () => {
    const userId = await seedProfile(tenantId, {
      profession: 'physician-md',
      firstName: 'Ines',
      lastName: 'Moreau',
      npi: validNpi('423456789'),
      birthMonthDay: '0315',
      consents: ['pars'],
    });
    const activity = await seedActivity(tenantId);
    await seedEntry({
      tenantId,
      userId,
      activity,
      creditType: 'ama-pra-1',
      amount: 0.5,
      completionDate: '2026-04-04',
      profession: 'physician-md',
    });
    await editProfile(
      userId,
      { profession: 'physician-md', firstName: 'Ines', lastName: 'Moreau' },
      new Date('2026-08-01T00:00:00Z'),
    );
    expect((await exportOf(request('pars-csv'))).text).toContain('Ines,Moreau');
    expect((await exportOf(request('pars-csv', {}, new Date('2026-08-02T00:00:00Z')))).text).not.toContain(
      'Ines',
    );
  });
});

describe('counts and progress', () => {
  it('when the coordinator previews the filter, then the count is the claims and reissues recorded by the instant, and progress ends at the format’s count', async () => {
    // Claims of Priya (2), Omar, Lena, Zed, Ana, Bo and Ines; their revocations are not counted. By 1 April only
    // Bo's (21 January) and Priya's first (20 March) were recorded.
    expect(await countSelectedEntries(tenantId, allDates, asOf)).toBe(8);
    expect(await countSelectedEntries(tenantId, allDates, new Date('2026-04-01T00:00:00Z'))).toBe(2);
    const total = await countSelectedEntries(tenantId, allDates, asOf, 'pars-csv');
    // Every count in one pass gives the same figures.
    const counted = await countSelection(tenantId, allDates, asOf);
    expect(counted.selected).toBe(8);
    expect(counted.byFormat['pars-csv']).toBe(total);
    expect(counted.byFormat['pars-precheck-csv']).toBe(total);
    expect(counted.byFormat['claims-csv']).toBe(8);
    expect(counted.byFormat['ce-broker-csv']).toBe(0);
    for (const format of exportFormats) {
      expect(counted.byFormat[format]).toBe(await countSelectedEntries(tenantId, allDates, asOf, format));
    }
    const seen: number[] = [];
    await exportOf(request('pars-csv'), { onProgress: (read) => seen.push(read) });
    expect(seen.at(-1)).toBe(total);
    expect(await countSelectedEntries(tenantId, { ...allDates, creditType: 'ancc' }, asOf, 'pars-csv')).toBe(
      0,
    );
  });
});
