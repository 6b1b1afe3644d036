import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import type { Response } from 'superagent';
import {
  CmeActivityModel,
  CmeProfileModel,
  LedgerEntryModel,
  newCertificateNumber,
} from '../../../../src/cme';
import { CmeExportModel, startExportJobs, type ExportJobs } from '../../../../src/cme/exports';
import type { Rounds } from '../../../../src/runtime';
import { createLogger } from '../../../../src/shared/logger';
import { csrfTokenOf, waitFor, type Agent } from '../../../support';

// Seeding and helpers for the export pages and jobs tests: activities, profiles and ledger entries written straight
// through the models (the claim pages are another part's), in bulk where a test needs thousands of rows.

let seeded = 0;

/** A published activity with AMA, ANCC and ACPE designations and every reporting identifier. */
export async function seedExportActivity(tenantId: string, key: string, title: string) {
  return CmeActivityModel.create({
    tenantId,
    key,
    version: 1,
    status: 'published',
    title,
    format: 'enduring',
    providerName: 'Rounds Medical Education',
    accreditation: 'joint',
    accreditationStatement: 'In support of improving patient care, this activity has been planned jointly.',
    startDate: '2025-01-01',
    endDate: '2027-12-31',
    accmeActivityId: '202600123',
    ceBrokerProviderNumber: '50-1234',
    ceBrokerCourseNumber: '20-987654',
    designations: [
      { creditType: 'ama-pra-1', maximum: 4, statement: 'Up to 4 AMA PRA Category 1 Credits™.' },
      { creditType: 'ancc', maximum: 4, statement: 'Up to 4 ANCC contact hours.' },
      {
        creditType: 'acpe',
        maximum: 4,
        statement: 'Up to 4 ACPE contact hours.',
        uan: 'JA0000000-0000-26-001-H04-P',
      },
    ],
  });
}

/**
 * Seeded data is stamped this long ago: an export reads what was recorded up to cmeExportSettleSeconds before it
 * was asked for (config/test.json: 5 s), so data seeded "now" would be in no export made at once.
 */
export const seededAgo = 60_000;

/** A physician's reporting profile with PARS consent and valid identifiers, saved `seededAgo`. */
export async function seedPhysicianProfile(tenantId: string, userId: string, name: [string, string]) {
  return CmeProfileModel.create({
    tenantId,
    userId,
    revision: 1,
    revisedAt: new Date(Date.now() - seededAgo),
    profession: 'physician-md',
    firstName: name[0],
    lastName: name[1],
    npi: '1234567893',
    licenseNumber: '036.123456',
    licenseState: 'IL',
    birthMonthDay: '0314',
    consents: { pars: { given: true, at: new Date('2025-01-01T00:00:00Z') } },
  });
}

/**
 * `count` ledger claims of `activity` (AMA, 1 credit each), completed on consecutive days from `firstDate`
 * (cycling through a year), by `userIds` in turn, recorded `seededAgo`; inserted a thousand at a time.
 */
export async function seedClaims(
  tenantId: string,
  activity: { _id: mongoose.Types.ObjectId; key: string },
  userIds: string[],
  count: number,
  options: { firstDate?: string; creditType?: string; profession?: string; recordedAt?: Date } = {},
) {
  const first = Date.parse(`${options.firstDate ?? '2025-01-01'}T00:00:00Z`);
  for (let start = 0; start < count; start += 1000) {
    const batch = [];
    for (let index = start; index < Math.min(count, start + 1000); index += 1) {
      seeded += 1;
      const userId = userIds[index % userIds.length]!;
      batch.push({
        tenantId,
        userId,
        kind: 'claim',
        idempotencyKey: `claim:exports-test:${process.pid}:${seeded}:${index}`,
        number: newCertificateNumber(),
        activityKey: activity.key,
        activityId: activity._id,
        activityVersion: 1,
        creditType: options.creditType ?? 'ama-pra-1',
        amount: 1,
        attestationText:
          'I attest that I completed this activity and claim only the credit commensurate with my participation.',
        recordedAt: options.recordedAt ?? new Date(Date.now() - seededAgo),
        completionDate: new Date(first + (index % 365) * 86_400_000).toISOString().slice(0, 10),
        recordedBy: { kind: 'learner', id: userId, name: 'Seeded Learner' },
        reason: '',
        learnerName: `Learner ${index % userIds.length}`,
        profession: options.profession ?? 'physician-md',
      });
    }
    await LedgerEntryModel.insertMany(batch, { ordered: false });
  }
}

/** A user id that belongs to no one (learners of seeded claims need no Rounds user). */
export const someUserId = () => String(new mongoose.Types.ObjectId());

/** The SHA-256 of bytes, as Rounds records it (hex). */
export const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Reads a response body as raw bytes (supertest's parser for files). */
export function binary(response: Response, done: (error: Error | null, body: Buffer) => void) {
  const res = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
  res.on('error', (error: Error) => done(error, Buffer.alloc(0)));
}

/** The export form's CSRF token for `agent`. */
export async function exportFormToken(agent: Agent): Promise<string> {
  return csrfTokenOf((await agent.get('/cme/admin/exports').expect(200)).text);
}

/** Posts the export form as its page would (filters as hidden fields, the chosen format), raw bytes back. */
export async function postExport(agent: Agent, fields: Record<string, string>) {
  const csrf = await exportFormToken(agent);
  return agent
    .post('/cme/admin/exports')
    .type('form')
    .set('Accept', 'text/html')
    .buffer(true)
    .parse(binary)
    .send({ _csrf: csrf, from: '', to: '', activity: '', creditType: '', profession: '', ...fields });
}

/**
 * An export worker of the test's own, polling fast (runtime.ts starts one too once wired; two workers share the
 * queue through leases, so tests wait for a record's state, never for a count of jobs run).
 */
export function useExportWorker(rounds: Rounds) {
  let jobs: ExportJobs | undefined;
  beforeAll(() => {
    jobs = startExportJobs(rounds.config, createLogger('silent'), {
      pollMilliseconds: 50,
      retryBaseMilliseconds: 50,
    });
  });
  afterAll(async () => {
    await jobs?.stop();
  });
  return {
    get jobs(): ExportJobs {
      return jobs!;
    },
  };
}

/** Waits until the export `id` reaches one of `statuses`, and returns its record. */
export function exportReaches(
  id: string,
  statuses: string[] = ['complete', 'empty', 'failed'],
  timeoutMs = 30_000,
) {
  return waitFor(
    `export ${id} to be ${statuses.join(' or ')}`,
    async () => {
      const record = await CmeExportModel.findById(id).lean();
      return record && statuses.includes(record.status) ? record : null;
    },
    { timeoutMs },
  );
}

/** The export id of a job page's path (`/cme/admin/exports/<id>`). */
export const exportIdOf = (location: string) => /\/cme\/admin\/exports\/([0-9a-f]{24})$/.exec(location)![1]!;
