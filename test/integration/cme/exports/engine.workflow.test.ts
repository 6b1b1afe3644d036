import {
  claimsAwaitingReport,
  cpeMonitorWindow,
  type ExportFilter,
  type ExportRequest,
} from '../../../../src/cme/exports';
import { countPendingParsDeletes } from '../../../../src/cme/exports/export.deletes';
import { startExport } from '../../../../src/cme/exports/export.service';
import { ValidationError } from '../../../../src/shared/errors';
import { useTestDatabase } from '../../../support';
import {
  exportOf,
  linesOf,
  reportedExport,
  revoke,
  seedActivity,
  seedEntry,
  seedProfile,
  seedTenant,
  validNpi,
} from './engine.support';

// The coordinator's quarter-to-quarter workflow (issue 14), as the engine and dashboard support it: a pending
// PARS delete goes into every PARS file whatever its range, first; a CPE Monitor record past day 60 is flagged in
// the file but never counts as reported.
useTestDatabase();

const zone = 'America/Chicago';
const range = (from: string, to: string): ExportFilter => ({
  from,
  to,
  activity: '',
  creditType: '',
  profession: '',
});

describe('a Q1 claim uploaded to PARS, then revoked in Q2', () => {
  let tenantId: string;
  beforeAll(async () => {
    tenantId = await seedTenant('review14b-quarters');
    const activity = await seedActivity(tenantId);
    const claim = async (lastName: string, seed: string, completionDate: string) =>
      seedEntry({
        tenantId,
        userId: await seedProfile(tenantId, {
          profession: 'physician-md',
          firstName: 'Kim',
          lastName,
          npi: validNpi(seed),
          birthMonthDay: '0303',
          consents: ['pars'],
        }),
        activity,
        creditType: 'ama-pra-1',
        amount: 1,
        completionDate,
        profession: 'physician-md',
        recordedAt: new Date(`${completionDate}T18:00:00Z`),
      });
    const revoked = await claim('Revokedq', '111111111', '2026-02-10');
    await claim('Keptq', '222222222', '2026-02-11');
    await claim('Secondq', '333333333', '2026-04-10');
    // The Q1 upload, complete on 2 April.
    await reportedExport(
      {
        tenantId,
        format: 'pars-csv',
        filter: range('2026-01-01', '2026-03-31'),
        asOf: new Date('2026-04-02T15:00:00Z'),
        timeZone: zone,
      },
      new Date('2026-04-02T15:05:00Z'),
    );
    await revoke(revoked, new Date('2026-05-05T15:00:00Z'));
  });

  it('when the coordinator makes the Q2 upload, then it withdraws the revoked Q1 claim first, and the dashboard counts the delete as pending', async () => {
    const q2: ExportRequest = {
      tenantId,
      format: 'pars-csv',
      filter: range('2026-04-01', '2026-06-30'),
      asOf: new Date('2026-07-02T15:00:00Z'),
      timeZone: zone,
    };
    const { text } = await exportOf(q2);
    const lines = linesOf(text);
    // Before every add, though completed in Q1: the Q2 range does not hide it.
    expect(lines[1]).toMatch(/^delete,.*,02\/10\/2026,Kim,Revokedq,/);
    expect(lines.slice(2).every((line) => line.startsWith('add,'))).toBe(true);
    expect(lines.filter((line) => line.includes('Revokedq'))).toHaveLength(1);
    // Secondq awaits its add; the revoked Q1 claim awaits its delete.
    expect((await claimsAwaitingReport(tenantId, q2.asOf)).pars).toBe(2);
  });

  it('when the range selects no claim at all, then the PARS file still carries the pending delete (and says so before)', async () => {
    const empty: ExportRequest = {
      tenantId,
      format: 'pars-csv',
      filter: range('2026-08-01', '2026-08-31'),
      asOf: new Date('2026-07-02T15:00:00Z'),
      timeZone: zone,
    };
    expect(await countPendingParsDeletes(tenantId, empty.filter, empty.asOf)).toBe(1);
    const { text, result } = await exportOf(empty);
    expect(result.rowCount).toBe(1);
    expect(linesOf(text)[1]).toMatch(/^delete,.*,Revokedq,/);
  });

  it('when the coordinator asks for that PARS file, then it is made; the claims CSV of the same empty range is refused', async () => {
    const admin = {
      tenantId,
      name: 'Sam',
      recordedBy: { kind: 'lti-admin' as const, id: '2', name: 'Sam' },
    };
    const settings = { inlineMaxRows: 100, settleSeconds: 5 };
    const now = new Date('2026-07-02T15:00:05Z');
    const filter = range('2026-08-01', '2026-08-31');
    const started = await startExport(admin, { filter, format: 'pars-csv' }, settings, now);
    expect(started.mode).toBe('download');
    await expect(startExport(admin, { filter, format: 'claims-csv' }, settings, now)).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('when an activity filter leaves the revoked claim out, then its delete is not in that file', async () => {
    const other = await seedActivity(tenantId);
    const { text } = await exportOf({
      tenantId,
      format: 'pars-csv',
      filter: { ...range('', ''), activity: other.key },
      asOf: new Date('2026-07-02T15:00:00Z'),
      timeZone: zone,
    });
    expect(text).toBe('');
  });

  it('when she re-runs the Q1 range, then the delete leads the file once and the adds are those of the Q1 upload (a filter’s file changes only when something happened)', async () => {
    const q1 = (asOf: Date): ExportRequest => ({
      tenantId,
      format: 'pars-csv',
      filter: range('2026-01-01', '2026-03-31'),
      asOf,
      timeZone: zone,
    });
    const lines = linesOf((await exportOf(q1(new Date('2026-07-02T15:00:00Z')))).text);
    const upload = linesOf((await exportOf(q1(new Date('2026-04-02T15:00:00Z')))).text);
    const sent = upload.find((line) => line.includes('Revokedq'))!;
    // Decision (lead): adds stay every matching claim, reported before or not.
    expect(lines).toEqual([upload[0], sent.replace(/^add,/, 'delete,'), ...upload.slice(2)]);
    expect(upload[2]).toMatch(/^add,.*,Keptq,/);
  });

  it('when the PARS file with the delete completed, then later files and the dashboard no longer carry it', async () => {
    const q2: ExportRequest = {
      tenantId,
      format: 'pars-xlsx',
      filter: range('2026-04-01', '2026-06-30'),
      asOf: new Date('2026-07-03T15:00:00Z'),
      timeZone: zone,
    };
    await reportedExport(q2, new Date('2026-07-03T15:05:00Z'));
    const later = await exportOf({ ...q2, format: 'pars-csv', asOf: new Date('2026-07-04T15:00:00Z') });
    expect(later.text).not.toContain('delete,');
    expect((await claimsAwaitingReport(tenantId, new Date('2026-07-04T15:00:00Z'))).pars).toBe(0);
  });
});

describe('a pharmacist claim past CPE Monitor’s 60 days', () => {
  it('when it went out in a CPE Monitor file on day 61 (NABP refuses it), then the file flags it and the dashboard still lists it as past, not as reported', async () => {
    const tenantId = await seedTenant('review14b-cpe-past');
    const activity = await seedActivity(tenantId, { title: 'Opioid Stewardship' });
    const userId = await seedProfile(tenantId, {
      profession: 'pharmacist',
      firstName: 'Ada',
      lastName: 'Quinn',
      nabpEprofileId: '1234567',
      birthMonthDay: '0912',
      consents: ['cpeMonitor'],
    });
    await seedEntry({
      tenantId,
      userId,
      activity,
      creditType: 'acpe',
      amount: 1,
      completionDate: '2026-04-01',
      profession: 'pharmacist',
      recordedAt: new Date('2026-04-01T18:00:00Z'),
    });
    // 1 June in Chicago: day 61.
    const asOf = new Date('2026-06-01T15:00:00Z');
    const request: ExportRequest = {
      tenantId,
      format: 'cpe-monitor-csv',
      filter: range('', ''),
      asOf,
      timeZone: zone,
    };
    const { text } = await exportOf(request);
    expect(text).toContain('past (day 61)');
    await reportedExport(request, new Date('2026-06-01T15:01:00Z'));
    const window = await cpeMonitorWindow(tenantId, new Date('2026-06-02T15:00:00Z'));
    expect(window.past).toBe(1);
    expect((await claimsAwaitingReport(tenantId, new Date('2026-06-02T15:00:00Z')))['cpe-monitor']).toBe(1);
  });
});
