import type { ExportRequest } from '../../../../src/cme/exports';
import { useTestDatabase } from '../../../support';
import {
  exportOf,
  linesOf,
  seedActivity,
  seedEntry,
  seedProfile,
  seedTenant,
  validNpi,
} from './engine.support';

// Issue 14, pre-check "so the coordinator can fix them before uploading": a published activity version cannot be
// edited, so a missing ACCME activity ID is fixed by publishing version 2 with it; claims made under version 1
// take it up from the latest version published by the export's instant.
useTestDatabase();

it('when the coordinator follows the pre-check and publishes a version with the ACCME ID, then the earlier claim reaches the PARS file', async () => {
  const tenantId = await seedTenant('review14b-version');
  const v1 = await seedActivity(tenantId, { accmeActivityId: '', title: 'Night Shift Sleep' });
  const userId = await seedProfile(tenantId, {
    profession: 'physician-md',
    firstName: 'Ines',
    lastName: 'Moreau',
    npi: validNpi('423456789'),
    birthMonthDay: '0229',
    consents: ['pars'],
  });
  await seedEntry({
    tenantId,
    userId,
    activity: v1,
    creditType: 'ama-pra-1',
    amount: 0.25,
    completionDate: '2026-02-01',
    profession: 'physician-md',
    recordedAt: new Date('2026-02-02T12:00:00Z'),
  });
  const request = (format: ExportRequest['format']): ExportRequest => ({
    tenantId,
    format,
    filter: { from: '', to: '', activity: '', creditType: '', profession: '' },
    asOf: new Date('2026-06-01T12:00:00Z'),
    timeZone: 'America/Chicago',
  });
  const before = await exportOf(request('pars-precheck-csv'));
  expect(before.text).toContain('Add the ACCME activity ID to the activity “Night Shift Sleep”');

  // The fix the activity pages allow: version 2 (same key) carrying the ID, published before the export.
  await seedActivity(tenantId, {
    key: v1.key,
    version: 2,
    title: 'Night Shift Sleep',
    accmeActivityId: 'ACCME-9911',
    publishedAt: new Date('2026-03-01T12:00:00Z'),
  });
  const { text } = await exportOf(request('pars-csv'));
  expect(linesOf(text).some((line) => line.includes('Moreau') && line.includes('ACCME-9911'))).toBe(true);
  expect((await exportOf(request('pars-precheck-csv'))).result.rowCount).toBe(0);
  // As of an instant before version 2 was published, the files read as they did then (reproducible).
  const then = await exportOf({ ...request('pars-precheck-csv'), asOf: new Date('2026-02-15T12:00:00Z') });
  expect(then.text).toContain(
    'Add the ACCME activity ID to the activity “Night Shift Sleep”: publish a new version of it with the ID',
  );
});
