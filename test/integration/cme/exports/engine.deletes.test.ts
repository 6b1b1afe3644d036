import type { ExportFilter, ExportRequest } from '../../../../src/cme/exports';
import { useTestDatabase } from '../../../support';
import {
  editProfile,
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

// A PARS `delete` withdraws exactly what was sent (issue 14): it is built from the learner's profile as of the
// export that sent the add, so an edit or a consent withdrawal in between changes nothing in it.
useTestDatabase();

const allDates: ExportFilter = {
  from: '2026-01-01',
  to: '2026-06-30',
  activity: '',
  creditType: '',
  profession: '',
};
let tenantId: string;
const request = (at: Date): ExportRequest => ({
  tenantId,
  format: 'pars-csv',
  filter: allDates,
  asOf: at,
  timeZone: 'America/Chicago',
});

beforeAll(async () => {
  tenantId = await seedTenant('review14b-deletes');
});

async function reportedClaim(lastName: string, npiSeed: string) {
  const activity = await seedActivity(tenantId);
  const userId = await seedProfile(tenantId, {
    profession: 'physician-md',
    firstName: 'Lee',
    lastName,
    npi: validNpi(npiSeed),
    birthMonthDay: '0101',
    consents: ['pars'],
  });
  const claim = await seedEntry({
    tenantId,
    userId,
    activity,
    creditType: 'ama-pra-1',
    amount: 2,
    completionDate: '2026-02-01',
    profession: 'physician-md',
    recordedAt: new Date('2026-02-02T12:00:00Z'),
  });
  // The Q1 upload: reported, complete.
  const q1 = request(new Date('2026-03-01T12:00:00Z'));
  await reportedExport(q1, new Date('2026-03-01T12:05:00Z'));
  const sent = linesOf((await exportOf(q1)).text).find((line) => line.includes(lastName))!;
  expect(sent).toMatch(/^add,/);
  return { userId, claim, sent };
}

describe('a revoked, reported claim whose learner changed since the upload', () => {
  it('when the learner corrected her NPI after the add was sent, then the delete still carries the fields that were sent', async () => {
    const { userId, claim, sent } = await reportedClaim('Okafor', '223456780');
    await editProfile(
      userId,
      {
        profession: 'physician-md',
        firstName: 'Lee',
        lastName: 'Okafor',
        npi: validNpi('987654321'),
        birthMonthDay: '0101',
        consents: ['pars'],
      },
      new Date('2026-04-01T12:00:00Z'),
    );
    await revoke(claim, new Date('2026-04-15T12:00:00Z'));
    const { text } = await exportOf(request(new Date('2026-05-01T12:00:00Z')));
    const deleted = linesOf(text).find((line) => line.includes('Okafor'));
    // PARS matches a delete to the record it added: same learner identifiers.
    expect(deleted).toBe(sent.replace(/^add,/, 'delete,'));
  });

  it('when the learner withdrew PARS consent after the add was sent, then the revoked claim is still deleted from PARS', async () => {
    const { userId, claim, sent } = await reportedClaim('Nakamura', '323456781');
    await editProfile(
      userId,
      {
        profession: 'physician-md',
        firstName: 'Lee',
        lastName: 'Nakamura',
        npi: sent.split(',')[7]!,
        birthMonthDay: '0101',
        consents: [],
      },
      new Date('2026-04-01T12:00:00Z'),
    );
    await revoke(claim, new Date('2026-04-15T12:00:00Z'));
    const { text } = await exportOf(request(new Date('2026-05-01T12:00:00Z')));
    // Otherwise PARS keeps a credit the provider took back, and no later export can ever withdraw it.
    expect(linesOf(text).find((line) => line.includes('Nakamura'))).toBe(sent.replace(/^add,/, 'delete,'));
  });
});
