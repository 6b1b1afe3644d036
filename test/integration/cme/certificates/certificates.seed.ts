import mongoose from 'mongoose';
import type request from 'supertest';
import { spawn } from 'node:child_process';
import { CmeActivityModel, LedgerEntryModel, newCertificateNumber } from '../../../../src/cme';
import { projectRoot } from '../../../../src/config';

// The claims flow is written beside this part (issue 13, Helper I): these tests write the ledger entries it
// would write, straight through the models.

export const amaStatement =
  'Mercy Health CME designates this enduring material for a maximum of 2 AMA PRA Category 1 Credits™. ' +
  'Physicians should claim only the credit commensurate with the extent of their participation in the activity.';
export const accreditationStatement =
  'In support of improving patient care, Mercy Health CME is jointly accredited by the Accreditation Council ' +
  'for Continuing Medical Education (ACCME), the Accreditation Council for Pharmacy Education (ACPE), and the ' +
  'American Nurses Credentialing Center (ANCC), to provide continuing education for the healthcare team.';

let activities = 0;

/** A published activity version of `tenantId` (enduring, AMA 2 + ANCC 2 + participation 2, unless overridden). */
export async function seedActivity(tenantId: string, overrides: Record<string, unknown> = {}) {
  activities += 1;
  return CmeActivityModel.create({
    tenantId,
    key: `stress-first-aid-${activities}-${Date.now()}`,
    version: 1,
    status: 'published',
    title: 'Stress First Aid for Clinical Teams',
    format: 'enduring',
    providerName: 'Mercy Health CME',
    accreditation: 'joint',
    accreditationStatement,
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    accmeActivityId: '202612345',
    designations: [
      { creditType: 'ama-pra-1', maximum: 2, statement: amaStatement },
      { creditType: 'ancc', maximum: 2, statement: 'This activity is approved for 2 ANCC contact hours.' },
      {
        creditType: 'participation',
        maximum: 2,
        statement: 'This activity was designated for 2 hours of participation.',
      },
    ],
    publishedAt: new Date('2026-01-01T12:00:00Z'),
    createdBy: 'test',
    ...overrides,
  });
}

/** What a claim names: the learner, the activity version, the credit and when. */
export interface ClaimSeed {
  tenantId: string;
  userId: string;
  activity: { _id: unknown; key: string; version: number };
  creditType?: string;
  amount?: number;
  completionDate: string;
  recordedAt?: Date;
  learnerName?: string;
  profession?: string;
}

/** A claim in the ledger, as the claim page writes it (one document: claim, number and audit fields). */
export async function seedClaim(seed: ClaimSeed) {
  const creditType = seed.creditType ?? 'ama-pra-1';
  return LedgerEntryModel.create({
    tenantId: seed.tenantId,
    userId: seed.userId,
    kind: 'claim',
    idempotencyKey: `claim:${seed.userId}:${seed.activity.key}:${creditType}`,
    number: newCertificateNumber(),
    activityKey: seed.activity.key,
    activityId: seed.activity._id,
    activityVersion: seed.activity.version,
    creditType,
    amount: seed.amount ?? 1.25,
    attestationText: 'I attest that I completed the activity.',
    recordedAt: seed.recordedAt ?? new Date(`${seed.completionDate}T18:00:00Z`),
    completionDate: seed.completionDate,
    recordedBy: { kind: 'learner', id: seed.userId, name: seed.learnerName ?? 'Dr. Priya Raman' },
    learnerName: seed.learnerName ?? 'Dr. Priya Raman',
    profession: seed.profession ?? 'physician-md',
  });
}

type Entry = Awaited<ReturnType<typeof seedClaim>>;

/** A CME admin's revocation of `entry` (a new entry naming it), and optionally the reissue that replaces it. */
export async function seedRevocation(entry: Entry, at: Date, reissue?: { amount: number; at: Date }) {
  const admin = { kind: 'lti-admin', id: 'admin-1', name: 'Sam Whitfield' };
  const revocation = await LedgerEntryModel.create({
    ...pick(entry),
    kind: 'revocation',
    idempotencyKey: `revoke:${String(entry._id)}`,
    number: newCertificateNumber(),
    revokesEntryId: entry._id,
    recordedAt: at,
    recordedBy: admin,
    reason: 'Claimed under the wrong activity.',
  });
  const reissued = reissue
    ? await LedgerEntryModel.create({
        ...pick(entry),
        kind: 'reissue',
        idempotencyKey: `reissue:${String(entry._id)}`,
        number: newCertificateNumber(),
        amount: reissue.amount,
        reissueOfEntryId: entry._id,
        recordedAt: reissue.at,
        recordedBy: admin,
        reason: 'Corrected amount.',
      })
    : undefined;
  return { revocation, reissued };
}

function pick(entry: Entry) {
  return {
    tenantId: entry.tenantId,
    userId: entry.userId,
    activityKey: entry.activityKey,
    activityId: entry.activityId,
    activityVersion: entry.activityVersion,
    creditType: entry.creditType,
    amount: entry.amount,
    attestationText: entry.attestationText,
    completionDate: entry.completionDate,
    learnerName: entry.learnerName,
    profession: entry.profession,
  };
}

/** A tenant id no sandbox launch belongs to (another hospital's records). */
export function anotherTenantId(): string {
  return new mongoose.Types.ObjectId().toHexString();
}

/** Collects a binary answer (PDF) into a Buffer for supertest. */
export function binary(
  response: request.Response,
  callback: (error: Error | null, body: Buffer) => void,
): void {
  const stream = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

// pdf.js (inside pdf-parse) loads its worker with a dynamic import, which jest's module sandbox refuses: the
// text is read in a plain node process instead.
const readPdfScript = `
const { PDFParse } = require('pdf-parse');
const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', async () => {
  const parser = new PDFParse({ data: Buffer.concat(chunks) });
  const { text } = await parser.getText();
  await parser.destroy();
  process.stdout.write(text);
});`;

/** The text of a PDF, as a reader's copy-and-paste would give it (pdf-parse), whitespace collapsed. */
export function pdfText(buffer: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', readPdfScript], { cwd: projectRoot });
    let text = '';
    let errors = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(text.replace(/\s+/g, ' ')) : reject(new Error(`pdf-parse failed: ${errors}`)),
    );
    child.stdin.end(buffer);
  });
}
