import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { CmeProfileModel } from '../../../../src/cme';
import { claimCredit } from '../../../../src/cme/claims';
import type { ExportRequest } from '../../../../src/cme/exports';
import { exportAsOf } from '../../../../src/cme/exports/export.service';
import { saveProfileRevision } from '../../../../src/cme/profile/profile.revisions';
import { loadConfig } from '../../../../src/config';
import { useTestDatabase } from '../../../support';
import {
  exportOf,
  seedActivity,
  seedCompletion,
  seedEntry,
  seedProfile,
  seedTenant,
  validNpi,
} from './engine.support';

// What an export reads (issue 14 review, found by review14-asof-race): the ledger and profiles "as of" its asOf.
// A claim request stamps `recordedAt` and stores the entry a moment later (after its look-ups); a profile save
// stamps `savedAt` before its two writes. Were asOf the instant the export was asked for, a claim stamped just
// before it and stored just after it would be in no file made then, yet in every re-creation: "Re-create and
// verify" would say "does NOT match" for an untouched file. So asOf is the request's instant less
// cmeExportSettleSeconds (config/test.json keeps a real margin, not 0), and the services stamp just before they
// write.
useTestDatabase();

const { cmeExportSettleSeconds } = loadConfig();
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The request the export service makes for a claims CSV asked for at `requestedAt`. */
function requestAt(tenantId: string, requestedAt: Date, format: ExportRequest['format']): ExportRequest {
  return {
    tenantId,
    format,
    filter: { from: '', to: '', activity: '', creditType: '', profession: '' },
    asOf: exportAsOf(requestedAt, cmeExportSettleSeconds),
    timeZone: 'America/Chicago',
  };
}

it('keeps a real settle margin in the tests too (a margin of 0 would hide the race)', () => {
  expect(cmeExportSettleSeconds).toBeGreaterThan(0);
  const requestedAt = new Date('2026-11-29T12:00:00Z');
  expect(exportAsOf(requestedAt, 60)).toEqual(new Date('2026-11-29T11:59:00Z'));
});

it('when a claim stamped just before the export is stored just after it, then a re-creation still gives the same bytes', async () => {
  const tenantId = await seedTenant('review14-race');
  const activity = await seedActivity(tenantId);
  const userId = await seedProfile(tenantId, {
    profession: 'physician-md',
    firstName: 'Ines',
    lastName: 'Okafor',
    npi: validNpi('623456789'),
    birthMonthDay: '0505',
    consents: ['pars'],
  });
  await seedCompletion(tenantId, userId, '2026-03-14T10:00');
  // An earlier claim, so the file made first has a row (a recorded, complete export).
  const earlierActivity = await seedActivity(tenantId);
  await seedEntry({
    tenantId,
    userId,
    activity: earlierActivity,
    creditType: 'ama-pra-1',
    amount: 2,
    completionDate: '2026-02-01',
    profession: 'physician-md',
    recordedAt: new Date(Date.now() - 3600_000),
  });
  const actor = {
    tenantId,
    userId,
    courseId: tenantId,
    role: 'learner' as const,
    name: 'Ines Okafor',
    courseTitle: 'Sandbox',
  };

  // The coordinator's export, asked for now: the service reads as of the request less the settle margin.
  const requestedAt = new Date();
  const request = requestAt(tenantId, requestedAt, 'claims-csv');
  const made = await exportOf(request);
  expect(made.result.rowCount).toBe(1);

  // A learner's claim request that started 50 ms before the export was asked for and was stored after it read
  // the ledger (the claim service takes `now` first and writes after its look-ups).
  const claimed = await claimCredit(
    actor,
    activity.key,
    { attested: true, amounts: { 'ama-pra-1': '1' } },
    new Date(requestedAt.getTime() - 50),
  );
  expect(claimed.outcome).toBe('claimed');

  // Re-create and verify: same request, same asOf.
  const again = await exportOf(request);
  expect(again.result.rowCount).toBe(made.result.rowCount);
  expect(sha(again.bytes)).toBe(sha(made.bytes));
});

it('when a profile save begun just before the export is stored just after it, then a re-creation still gives the same bytes', async () => {
  const tenantId = await seedTenant('review14-profile-race');
  const activity = await seedActivity(tenantId);
  const userId = await seedProfile(tenantId, {
    profession: 'physician-md',
    firstName: 'Tomas',
    lastName: 'Berg',
    npi: validNpi('723456789'),
    birthMonthDay: '0909',
    consents: ['pars'],
  });
  await seedEntry({
    tenantId,
    userId,
    activity,
    creditType: 'ama-pra-1',
    amount: 1,
    completionDate: '2026-02-03',
    profession: 'physician-md',
    recordedAt: new Date(Date.now() - 3600_000),
  });
  const requestedAt = new Date();
  const request = requestAt(tenantId, requestedAt, 'pars-csv');
  const made = await exportOf(request);
  expect(made.text).toContain('Tomas,Berg');

  // The learner's save began 50 ms before the export was asked for; its writes land after the export read.
  const current = (await CmeProfileModel.findOne({ userId }).lean())!;
  await saveProfileRevision(
    { tenantId: new mongoose.Types.ObjectId(tenantId), userId: new mongoose.Types.ObjectId(userId) },
    () => ({
      profession: 'physician-md',
      firstName: 'Tomas',
      lastName: 'Berg-Lund',
      npi: current.npi ?? '',
      licenseNumber: '',
      licenseState: '',
      certifyingBoard: '',
      boardId: '',
      birthMonthDay: '0909',
      nabpEprofileId: '',
      consents: { pars: { given: true, at: current.consents!.pars!.at } },
    }),
    new Date(requestedAt.getTime() - 50),
  );

  const again = await exportOf(request);
  expect(again.text).toContain('Tomas,Berg');
  expect(again.text).not.toContain('Berg-Lund');
  expect(sha(again.bytes)).toBe(sha(made.bytes));
  // The next export, asked for once the margin has passed, reads the new name.
  const later = await exportOf(
    requestAt(tenantId, new Date(Date.now() + cmeExportSettleSeconds * 1000 + 1000), 'pars-csv'),
  );
  expect(later.text).toContain('Berg-Lund');
});
