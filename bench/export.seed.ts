/**
 * The data of `npm run bench:export`: one tenant's year of CME claims written straight through Rounds' models, as
 * the claim page and the corrections pages leave them (src/cme/claims): learners (User) with reporting profiles,
 * published activities, `claims` ledger claims with every field, and a handful of revocations and reissues.
 *
 * Claims fall on `claimDays` consecutive completion dates from `firstDate`, exactly `claims / claimDays` a day,
 * so a range of N days selects exactly N × that many claims (plus the few corrections of those days). Learners
 * claim every activity once (the claim's idempotency key is learner + activity + credit type), each claim on a day
 * scattered over the year. Most learners are MD physicians with valid identifiers who consent to PARS; a few lack
 * a birth month/day (PARS pre-check rows); nurses and pharmacists claim their own credit types.
 */
import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import {
  CmeActivityModel,
  LedgerEntryModel,
  creditTypeLabels,
  newCertificateNumber,
  type CreditType,
} from '../src/cme/core';
import { attestationTextFor } from '../src/cme/claims/claims.rules';
import { CourseModel, TenantModel, UserModel } from '../src/tenancy';
import { creditTypeOf, learnerName, professionOf, seedLearners, validated } from './export.learners';

export const firstDate = '2025-10-01';
export const claimDays = 400;
export const timeZone = 'America/Chicago';
const batchSize = 10_000;

export interface SeedOptions {
  claims: number;
  learners: number;
  /** Called after every batch written, with what is done so far. */
  progress: (done: number, total: number) => void;
}

export interface Seeded {
  tenantId: string;
  adminUserId: string;
  courseId: string;
  activityKeys: string[];
  claims: number;
  corrections: number;
  claimsPerDay: number;
  /** Completion date of day `n` (0-based) of the seeded range. */
  dateOf: (day: number) => string;
}

const provider = 'Mercy Health CME';
const statements: Record<CreditType, string> = {
  'ama-pra-1':
    `${provider} designates this enduring material for a maximum of 1.5 AMA PRA Category 1 Credits™. ` +
    'Physicians should claim only the credit commensurate with the extent of their participation in the activity.',
  ancc: `${provider} designates this activity for a maximum of 1.5 ANCC contact hours.`,
  acpe: `${provider} designates this knowledge-based activity for 1.5 contact hours (0.15 CEUs).`,
  ipce: `This activity was planned by and for the healthcare team, and learners will receive 1.5 IPCE credits.`,
  participation: `${provider} awards other health professionals a certificate of participation for up to 1.5 hours.`,
};

/** Day `n` (0-based) of the seeded range as `YYYY-MM-DD`. */
export function dateOf(day: number): string {
  return DateTime.fromISO(firstDate, { zone: 'utc' }).plus({ days: day }).toISODate()!;
}

async function seedActivities(tenantId: mongoose.Types.ObjectId, count: number) {
  const activities = [];
  for (let index = 0; index < count; index++) {
    activities.push({
      tenantId,
      key: `bench-activity-${index + 1}`,
      version: 1,
      status: 'published',
      title: `Grand Rounds ${index + 1}: Burnout, Moral Injury and Recovery`,
      format: 'enduring',
      providerName: provider,
      accreditation: 'joint',
      accreditationStatement: `${provider} is jointly accredited to provide continuing education for the healthcare team.`,
      startDate: dateOf(0),
      endDate: dateOf(claimDays + 30),
      accmeActivityId: String(202_500_000 + index),
      designations: (['ama-pra-1', 'ancc', 'acpe', 'participation'] as const).map((creditType) => ({
        creditType,
        maximum: 1.5,
        statement: statements[creditType],
        ...(creditType === 'acpe'
          ? {
              uan: `JA0000001-0000-25-${String(100 + index).padStart(3, '0')}-H04-P`,
              acpeCreditType: 'knowledge',
            }
          : {}),
      })),
      requirements: { moduleSlugs: ['stress-first-aid'], evaluationRequired: true },
      publishedAt: new Date(`${dateOf(0)}T12:00:00Z`),
      createdBy: 'bench',
    });
  }
  return CmeActivityModel.insertMany(activities);
}

/**
 * Seeds the tenant. Claim `k` (learner `k % learners`, activity `k / learners`) lands on the day of its place in
 * a fixed permutation of the claims (k × a prime, mod the count), so every day gets the same number of claims.
 */
export async function seedExportData(options: SeedOptions): Promise<Seeded> {
  const { claims, learners } = options;
  if (claims % learners !== 0) throw new Error('--claims must be a multiple of --learners');
  if (claims % claimDays !== 0) throw new Error(`--claims must be a multiple of ${claimDays}`);
  const activityCount = claims / learners;
  const claimsPerDay = claims / claimDays;
  const tenant = await TenantModel.create({
    issuer: 'https://lms.bench.example',
    clientId: 'bench',
    deploymentId: '1',
    timeZone,
  });
  // The CME office's LMS course, where the admin launches Rounds from.
  const course = await CourseModel.create({
    tenantId: tenant._id,
    contextId: 'cme-office',
    title: 'CME office',
  });
  const admin = await UserModel.create({
    tenantId: tenant._id,
    subject: 'cme-admin',
    name: 'Bench CME Admin',
  });
  const userIds = await seedLearners(tenant._id, learners, new Date(`${firstDate}T00:00:00Z`));
  const activities = await seedActivities(tenant._id, activityCount);

  // Which claim each slot of the date order holds: the inverse of k → (k × prime) mod claims.
  const prime = 999_983;
  if (claims % prime === 0) throw new Error('--claims must not be a multiple of 999983');
  const slotOwner = new Int32Array(claims);
  // k × prime stays below 2^53 for any count this bench seeds, so plain numbers are exact.
  for (let k = 0; k < claims; k++) slotOwner[(k * prime) % claims] = k;

  const attestations = new Map<string, string>();
  let written = 0;
  for (let slot = 0; slot < claims; slot += batchSize) {
    const batch = [];
    for (let at = slot; at < Math.min(claims, slot + batchSize); at++) {
      const k = slotOwner[at]!;
      const learner = k % learners;
      const activity = activities[Math.floor(k / learners)]!;
      const profession = professionOf(learner);
      const creditType = creditTypeOf(profession);
      const day = Math.floor(at / claimsPerDay);
      const completionDate = dateOf(day);
      const attestationKey = `${activity.key}|${completionDate}|${creditType}`;
      let attestationText = attestations.get(attestationKey);
      if (!attestationText) {
        attestationText = attestationTextFor(activity, completionDate, {
          creditType,
          label: creditTypeLabels[creditType],
          maximum: 1.5,
          statement: statements[creditType],
        });
        attestations.set(attestationKey, attestationText);
      }
      const userId = userIds[learner]!;
      const [firstName, lastName] = learnerName(learner);
      batch.push({
        tenantId: tenant._id,
        userId,
        kind: 'claim',
        idempotencyKey: `claim:${String(userId)}:${activity.key}:${creditType}`,
        number: newCertificateNumber(),
        activityKey: activity.key,
        activityId: activity._id,
        activityVersion: activity.version,
        creditType,
        amount: [0.5, 1, 1.25, 1.5][at % 4]!,
        attestationText,
        // Claimed that evening in the tenant's zone (the stand-in's UTC instant, then; all well before now).
        recordedAt: DateTime.fromISO(`${completionDate}T18:00`, { zone: timeZone })
          .plus({ seconds: at % claimsPerDay })
          .toJSDate(),
        completionDate,
        recordedBy: { kind: 'learner', id: String(userId), name: `${firstName} ${lastName}` },
        reason: '',
        learnerName: `${firstName} ${lastName}`,
        profession,
      });
    }
    if (slot === 0) validated(LedgerEntryModel, batch[0]!);
    await LedgerEntryModel.insertMany(batch, { lean: true });
    attestations.clear();
    written += batch.length;
    options.progress(written, claims);
  }

  // A handful of corrections, as the corrections pages write them: 20 revocations spread over the year (each the
  // day after the claim), the first 5 of them reissued.
  const revoked = await LedgerEntryModel.find({
    tenantId: tenant._id,
    completionDate: {
      $in: Array.from({ length: 20 }, (_, n) => dateOf(Math.floor((n * claimDays) / 20) + 3)),
    },
  })
    .sort({ completionDate: 1, number: 1 })
    .lean();
  const firstOfDay = new Map<string, (typeof revoked)[number]>();
  for (const entry of revoked)
    if (!firstOfDay.has(entry.completionDate)) firstOfDay.set(entry.completionDate, entry);
  const adminBy = { kind: 'lti-admin' as const, id: String(admin._id), name: 'Bench CME Admin' };
  const corrections = [];
  let n = 0;
  for (const entry of firstOfDay.values()) {
    const copied = {
      tenantId: entry.tenantId,
      userId: entry.userId,
      activityKey: entry.activityKey,
      activityId: entry.activityId,
      activityVersion: entry.activityVersion,
      creditType: entry.creditType,
      completionDate: entry.completionDate,
      learnerName: entry.learnerName,
      profession: entry.profession,
    };
    const at = new Date(entry.recordedAt.getTime() + 24 * 3600_000);
    corrections.push({
      ...copied,
      kind: 'revocation',
      idempotencyKey: `revoke:${String(entry._id)}`,
      number: newCertificateNumber(),
      amount: entry.amount,
      attestationText: '',
      recordedAt: at,
      revokesEntryId: entry._id,
      recordedBy: adminBy,
      reason: 'Claimed twice under two accounts; the other claim stands.',
    });
    if (n++ < 5) {
      corrections.push({
        ...copied,
        kind: 'reissue',
        idempotencyKey: `reissue:${String(entry._id)}`,
        number: newCertificateNumber(),
        amount: 1,
        attestationText: entry.attestationText,
        recordedAt: new Date(at.getTime() + 3600_000),
        reissueOfEntryId: entry._id,
        recordedBy: adminBy,
        reason: 'The learner attended one hour only.',
      });
    }
  }
  await LedgerEntryModel.insertMany(corrections);
  return {
    tenantId: String(tenant._id),
    adminUserId: String(admin._id),
    courseId: String(course._id),
    activityKeys: activities.map((activity) => activity.key),
    claims,
    corrections: corrections.length,
    claimsPerDay,
    dateOf,
  };
}
