import { claimsAwaitingReport, cpeMonitorWindow } from '../../../../src/cme/exports';
import { useTestDatabase } from '../../../support';
import {
  reportedExport,
  revoke,
  seedActivity,
  seedEntry,
  seedProfile,
  seedTenant,
  validNpi,
} from './engine.support';

// The dashboard's numbers (issue 14, item 4): what is still to report to each body, and CPE Monitor claims
// running out of their 60-day window.
useTestDatabase();

// 1 June 2026, noon in Chicago.
const now = new Date('2026-06-01T17:00:00Z');
let tenantId: string;

beforeAll(async () => {
  tenantId = await seedTenant('export-dashboard');
  const activity = await seedActivity(tenantId, { title: 'Medication Safety Huddles' });
  const entry = (
    userId: string,
    creditType: string,
    profession: string,
    completionDate: string,
    learnerName = '',
  ) =>
    seedEntry({ tenantId, userId, activity, creditType, amount: 1, completionDate, profession, learnerName });

  const physician = await seedProfile(tenantId, {
    profession: 'physician-md',
    firstName: 'Priya',
    lastName: 'Raman',
    npi: validNpi('123456789'),
    birthMonthDay: '0704',
    consents: ['pars'],
  });
  await entry(physician, 'ama-pra-1', 'physician-md', '2026-02-01');
  await entry(physician, 'ama-pra-1', 'physician-md', '2025-03-01'); // more than a year back
  const revoked = await entry(physician, 'ama-pra-1', 'physician-md', '2026-02-02');
  await revoke(revoked, new Date('2026-05-02T12:00:00Z'));
  const notConsenting = await seedProfile(tenantId, {
    profession: 'physician-do',
    firstName: 'Omar',
    lastName: 'Haddad',
  });
  await entry(notConsenting, 'ama-pra-1', 'physician-do', '2026-02-03');

  const pharmacist = await seedProfile(tenantId, {
    profession: 'pharmacist',
    firstName: 'Marcus',
    lastName: 'Lee',
    nabpEprofileId: '1234567',
    birthMonthDay: '0912',
    consents: ['cpeMonitor'],
  });
  for (const date of ['2026-04-01', '2026-04-12', '2026-04-17', '2026-05-22']) {
    await entry(pharmacist, 'acpe', 'pharmacist', date, 'Marcus Lee');
  }
  // Day 55, already uploaded in a complete CPE Monitor export: neither awaiting nor listed.
  await entry(pharmacist, 'acpe', 'pharmacist', '2026-04-07', 'Marcus Lee');
  const day55 = {
    from: '2026-04-07',
    to: '2026-04-07',
    activity: '',
    creditType: '' as const,
    profession: '' as const,
  };
  const asOf = new Date('2026-05-15T15:00:00Z');
  await reportedExport(
    { tenantId, format: 'cpe-monitor-csv', filter: day55, asOf, timeZone: 'America/Chicago' },
    new Date('2026-05-15T15:01:00Z'),
  );

  const nurse = await seedProfile(tenantId, {
    profession: 'nurse',
    firstName: 'Lee',
    lastName: 'Park',
    licenseNumber: 'RN9876543',
    licenseState: 'FL',
    consents: ['ceBroker'],
  });
  await entry(nurse, 'ancc', 'nurse', '2026-05-05');
});

describe('claims awaiting report', () => {
  it('when claims of the last year are consented to, not revoked and not yet in a complete export, then each body counts them', async () => {
    expect(await claimsAwaitingReport(tenantId, now)).toEqual({ pars: 1, 'cpe-monitor': 4, 'ce-broker': 1 });
  });
});

describe('CPE Monitor’s window', () => {
  it('when unreported pharmacist claims are 45, 50 and 61 days old, then two approach and one is past, oldest first', async () => {
    expect(await cpeMonitorWindow(tenantId, now)).toEqual({
      approaching: 2,
      past: 1,
      items: [
        {
          learner: 'Marcus Lee',
          activityTitle: 'Medication Safety Huddles',
          completionDate: '2026-04-01',
          day: 61,
          status: 'past',
        },
        {
          learner: 'Marcus Lee',
          activityTitle: 'Medication Safety Huddles',
          completionDate: '2026-04-12',
          day: 50,
          status: 'approaching',
        },
        {
          learner: 'Marcus Lee',
          activityTitle: 'Medication Safety Huddles',
          completionDate: '2026-04-17',
          day: 45,
          status: 'approaching',
        },
      ],
    });
  });
});
