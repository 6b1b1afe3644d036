import type { ExportRequest } from '../../../../src/cme/exports';
import { useTestDatabase } from '../../../support';
import { exportOf, linesOf, seedActivity, seedEntry, seedProfile, seedTenant } from './engine.support';

// Issue 14, "CSV of all claims with every ledger field": the auditor can tell whose entry a row is, what activity
// version it was claimed under and who recorded it (the ledger's ids beside the names, and its idempotency key).
useTestDatabase();

it('when two learners share a name, then the claims CSV still tells their claims apart (the ledger’s learner and activity ids)', async () => {
  const tenantId = await seedTenant('review14b-claims');
  const activity = await seedActivity(tenantId);
  const first = await seedProfile(tenantId, { profession: 'physician-md' });
  const second = await seedProfile(tenantId, { profession: 'physician-md' });
  for (const userId of [first, second]) {
    await seedEntry({
      tenantId,
      userId,
      activity,
      creditType: 'ama-pra-1',
      amount: 1,
      completionDate: '2026-02-01',
      profession: 'physician-md',
      learnerName: 'Sam Lee',
    });
  }
  const request: ExportRequest = {
    tenantId,
    format: 'claims-csv',
    filter: { from: '', to: '', activity: '', creditType: '', profession: '' },
    asOf: new Date('2026-06-01T12:00:00Z'),
    timeZone: 'America/Chicago',
  };
  const { text } = await exportOf(request);
  expect(linesOf(text)).toHaveLength(3);
  expect(text).toContain(first);
  expect(text).toContain(second);
  expect(text).toContain(String(activity._id));
  const [header, ...rows] = linesOf(text);
  const column = (title: string) => header!.split(',').indexOf(title);
  const learners = rows.map((row) => row.split(',')[column('Learner ID')]);
  expect(learners.sort()).toEqual([first, second].sort());
  const cells = rows[0]!.split(',');
  const cell = (title: string) => cells[column(title)];
  expect(cell('Activity Version ID')).toBe(String(activity._id));
  // The recorder's id beside the name, even when the name is set.
  expect([cell('Recorded By ID'), cell('Recorded By')]).toEqual([cell('Learner ID'), 'Sam Lee']);
  expect(cell('Idempotency Key')).toMatch(/^claim:export-test:\d+$/);
});
