import { Writable } from 'node:stream';
import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import {
  CmeActivityModel,
  CmeProfileModel,
  CmeProfileRevisionModel,
  LedgerEntryModel,
  newCertificateNumber,
} from '../../../../src/cme';
import { CmeExportModel, writeExport, type ExportRequest } from '../../../../src/cme/exports';
import { TenantModel } from '../../../../src/tenancy';
import { ModuleCompletionModel } from '../../../../src/wellbeing/player/completion.model';

// Seeding for the export engine's tests: tenants, activities, profiles (with their revision, as saveProfile
// writes them) and ledger entries written through the models; claims through the claim service where it matters.

/** A tenant of its own per test group, in Chicago (its local dates are what files show). */
export async function seedTenant(label: string) {
  const tenant = await TenantModel.create({
    issuer: `https://${label}.lms.example`,
    clientId: `${label}-client`,
    deploymentId: `${label}-deployment`,
    timeZone: 'America/Chicago',
  });
  return String(tenant._id);
}

let activities = 0;

/** A published activity designating AMA, ACPE and ANCC credit, with every reporting field filled in. */
export async function seedActivity(tenantId: string, overrides: Record<string, unknown> = {}) {
  activities += 1;
  return CmeActivityModel.create({
    tenantId,
    key: `export-activity-${activities}`,
    version: 1,
    status: 'published',
    title: `Stress First Aid for Clinical Teams ${activities}`,
    format: 'enduring',
    providerName: 'Mercy Health CME',
    accreditation: 'joint',
    accreditationStatement: 'Mercy Health CME is jointly accredited.',
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    accmeActivityId: 'ACCME-7788',
    ceBrokerProviderNumber: '50-1234',
    ceBrokerCourseNumber: '20-555555',
    designations: [
      {
        creditType: 'ama-pra-1',
        maximum: 4,
        statement: 'Designated for a maximum of 4 AMA PRA Category 1 Credits™.',
      },
      {
        creditType: 'acpe',
        maximum: 4,
        statement: 'Up to 4 ACPE contact hours.',
        uan: 'JA0000123-0000-26-001-H04-P',
      },
      { creditType: 'ancc', maximum: 4, statement: 'Up to 4 ANCC contact hours.' },
    ],
    requirements: { moduleSlugs: ['stress-first-aid'], evaluationRequired: false },
    publishedAt: new Date('2026-01-01T12:00:00Z'),
    createdBy: 'test',
    ...overrides,
  });
}

/** An NPI with a correct check digit (Luhn over "80840" + the first nine digits). */
export function validNpi(firstNine: string): string {
  const digits = `80840${firstNine}0`;
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return `${firstNine}${(10 - (sum % 10)) % 10}`;
}

export interface ProfileFields {
  profession: string;
  firstName?: string;
  lastName?: string;
  npi?: string;
  licenseNumber?: string;
  licenseState?: string;
  certifyingBoard?: string;
  boardId?: string;
  birthMonthDay?: string;
  nabpEprofileId?: string;
  consents?: Array<'pars' | 'cpeMonitor' | 'ceBroker'>;
}

function stateOf(fields: ProfileFields, at: Date) {
  const { consents = [], ...rest } = fields;
  // As the profile form saves: every field, blank when not filled in.
  return {
    firstName: '',
    lastName: '',
    npi: '',
    licenseNumber: '',
    licenseState: '',
    certifyingBoard: '',
    boardId: '',
    birthMonthDay: '',
    nabpEprofileId: '',
    ...rest,
    consents: {
      pars: { given: consents.includes('pars'), at },
      cpeMonitor: { given: consents.includes('cpeMonitor'), at },
      ceBroker: { given: consents.includes('ceBroker'), at },
    },
  };
}

/** A learner's profile saved at `savedAt` as revision 1 (what the profile form's first save writes). */
export async function seedProfile(
  tenantId: string,
  fields: ProfileFields,
  savedAt = new Date('2026-01-10T15:00:00Z'),
) {
  const userId = new mongoose.Types.ObjectId();
  const state = stateOf(fields, savedAt);
  await CmeProfileRevisionModel.create({ tenantId, userId, revision: 1, savedAt, ...state });
  await CmeProfileModel.create({ tenantId, userId, revision: 1, revisedAt: savedAt, ...state });
  return String(userId);
}

/** A later save of a learner's profile: the next revision, and the profile carrying it. */
export async function editProfile(userId: string, fields: ProfileFields, savedAt: Date) {
  const current = await CmeProfileModel.findOne({ userId }).lean();
  const revision = (current!.revision ?? 1) + 1;
  const state = stateOf(fields, savedAt);
  await CmeProfileRevisionModel.create({ tenantId: current!.tenantId, userId, revision, savedAt, ...state });
  await CmeProfileModel.updateOne({ userId }, { $set: { ...state, revision, revisedAt: savedAt } });
}

/** A completion of the activity's module at a wall-clock time in Chicago (e.g. `2026-03-14T23:30`). */
export async function seedCompletion(tenantId: string, userId: string, chicagoTime: string) {
  const completedAt = DateTime.fromISO(chicagoTime, { zone: 'America/Chicago' });
  await ModuleCompletionModel.create({
    tenantId,
    userId,
    slug: 'stress-first-aid',
    version: 1,
    title: 'Stress First Aid for clinical teams',
    completedAt: completedAt.toJSDate(),
    localDate: completedAt.toISODate(),
    estimatedMinutes: 60,
  });
}

let entries = 0;

/** A ledger entry as the claims part writes it (one document with its number and audit fields). */
export async function seedEntry(fields: {
  tenantId: string;
  userId: string;
  activity: { _id: mongoose.Types.ObjectId; key: string; version: number };
  creditType: string;
  amount: number;
  completionDate: string;
  profession: string;
  learnerName?: string;
  kind?: 'claim' | 'revocation' | 'reissue';
  revokesEntryId?: mongoose.Types.ObjectId;
  reissueOfEntryId?: mongoose.Types.ObjectId;
  recordedAt?: Date;
  reason?: string;
}) {
  entries += 1;
  const kind = fields.kind ?? 'claim';
  return LedgerEntryModel.create({
    tenantId: fields.tenantId,
    userId: fields.userId,
    kind,
    idempotencyKey: `${kind}:export-test:${entries}`,
    number: newCertificateNumber(),
    activityKey: fields.activity.key,
    activityId: fields.activity._id,
    activityVersion: fields.activity.version,
    creditType: fields.creditType,
    amount: fields.amount,
    attestationText: 'I attest that I completed this activity.',
    recordedAt: fields.recordedAt ?? new Date('2026-05-01T12:00:00Z'),
    completionDate: fields.completionDate,
    revokesEntryId: fields.revokesEntryId,
    reissueOfEntryId: fields.reissueOfEntryId,
    recordedBy:
      kind === 'claim'
        ? { kind: 'learner', id: fields.userId, name: fields.learnerName ?? 'Seeded Learner' }
        : { kind: 'account', id: 'coordinator', name: 'Dana Coordinator' },
    reason: fields.reason ?? (kind === 'claim' ? '' : 'Seeded correction'),
    learnerName: fields.learnerName ?? 'Seeded Learner',
    profession: fields.profession,
  });
}

/** A revocation of `entry`, recorded at `recordedAt`, as the corrections page writes it. */
export function revoke(entry: Awaited<ReturnType<typeof seedEntry>>, recordedAt: Date) {
  return seedEntry({
    tenantId: String(entry.tenantId),
    userId: String(entry.userId),
    activity: { _id: entry.activityId, key: entry.activityKey, version: entry.activityVersion },
    creditType: entry.creditType,
    amount: entry.amount,
    completionDate: entry.completionDate,
    profession: entry.profession ?? '',
    learnerName: entry.learnerName ?? '',
    kind: 'revocation',
    revokesEntryId: entry._id,
    recordedAt,
  });
}

/** A sink that keeps every byte written to it, like a response body would. */
export function collectingSink() {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return Object.assign(sink, { bytes: () => Buffer.concat(chunks), writes: () => chunks.length });
}

/** Writes an export into a collecting sink: the result, the bytes, and the text without its byte-order mark. */
export async function exportOf(request: ExportRequest, options: Parameters<typeof writeExport>[2] = {}) {
  const sink = collectingSink();
  const result = await writeExport(request, sink, options);
  const bytes = sink.bytes();
  return { result, bytes, sink, text: bytes.toString('utf8').replace(/^\uFEFF/, '') };
}

/** The lines of a CSV file (CRLF), the empty one after the last line ending dropped. */
export const linesOf = (text: string) =>
  text.split('\r\n').filter((line, index, all) => line || index < all.length - 1);

/**
 * A reporting export made as a real report (receipts written) and recorded complete at `completedAt` (what an
 * earlier quarter's upload leaves behind), or failed (what an interrupted download leaves).
 */
export async function reportedExport(
  request: ExportRequest,
  completedAt: Date,
  status: 'complete' | 'failed' = 'complete',
) {
  const record = await CmeExportModel.create({
    tenantId: request.tenantId,
    format: request.format,
    filter: request.filter,
    asOf: request.asOf,
    timeZone: request.timeZone,
    requestedBy: { kind: 'account', id: 'coordinator', name: 'Dana Coordinator' },
    requestedAt: request.asOf,
    mode: 'download',
    status: 'running',
  });
  const { result } = await exportOf(request, { receiptsFor: String(record._id) });
  await CmeExportModel.updateOne(
    { _id: record._id },
    status === 'complete'
      ? { $set: { status, completedAt, rowCount: result.rowCount, sha256: result.sha256 } }
      : { $set: { status, failure: 'The download was interrupted' } },
  );
  return record;
}
