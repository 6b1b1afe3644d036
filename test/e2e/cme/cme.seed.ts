import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import { CmeActivityModel, CmeProfileModel, LedgerEntryModel, newCertificateNumber } from '../../../src/cme';
import { TenantModel } from '../../../src/tenancy';
import { ModuleCompletionModel } from '../../../src/wellbeing/player/completion.model';

// Seeds for the CME browser tests: written straight through the models (the forms and services behind them are
// covered by each part's integration tests), so the browser time goes to what a person does on the pages.

export interface CourseIds {
  tenantId: string;
  courseId: string;
}

/** The AMA designation wording of DOMAIN.md ("CME credit"). */
export function amaStatement(provider: string, credits: number, format = 'enduring material'): string {
  return (
    `${provider} designates this ${format} for a maximum of ${credits} AMA PRA Category 1 Credit${credits === 1 ? '' : 's'}™. ` +
    'Physicians should claim only the credit commensurate with the extent of their participation in the activity.'
  );
}

const provider = 'Rounds Medical Education';
const jointStatement =
  'In support of improving patient care, Rounds Medical Education is jointly accredited by the Accreditation ' +
  'Council for Continuing Medical Education (ACCME), the Accreditation Council for Pharmacy Education (ACPE), ' +
  'and the American Nurses Credentialing Center (ANCC), to provide continuing education for the healthcare team.';

/** The tenant's zone: Chicago, so tenant-local dates differ from UTC ones late in the evening. */
export async function useChicago(course: CourseIds): Promise<void> {
  await TenantModel.updateOne({ _id: course.tenantId }, { $set: { timeZone: 'America/Chicago' } });
}

/**
 * A published enduring activity of the sandbox course with 2 AMA PRA Category 1 Credits™, 2 ANCC contact hours and
 * participation hours; requirements: two bundled modules, the evaluation, and (when `postTest`) a post-test.
 */
export async function seedActivity(
  course: CourseIds,
  key: string,
  title: string,
  options: { postTest?: boolean; status?: 'draft' | 'published'; format?: 'enduring' | 'live' } = {},
) {
  const live = options.format === 'live';
  return CmeActivityModel.create({
    tenantId: course.tenantId,
    key,
    version: 1,
    status: options.status ?? 'published',
    title,
    description: 'Recognise stress reactions in yourself and colleagues, and respond with the seven Cs.',
    format: options.format ?? 'enduring',
    providerName: provider,
    accreditation: 'joint',
    accreditationStatement: jointStatement,
    startDate: '2026-01-01',
    endDate: '2027-12-31',
    location: live ? 'Conference Room B, Main Hospital, Chicago' : '',
    accmeActivityId: '202600123',
    designations: [
      {
        creditType: 'ama-pra-1',
        maximum: 2,
        statement: amaStatement(provider, 2, live ? 'live activity' : 'enduring material'),
      },
      { creditType: 'ancc', maximum: 2, statement: 'This activity is awarded 2 ANCC contact hours.' },
      { creditType: 'participation', maximum: 2, statement: 'Certificate of participation: up to 2 hours.' },
    ],
    requirements: {
      moduleSlugs: ['stress-first-aid', 'sleep-and-recovery'],
      postTest: options.postTest
        ? {
            passPercent: 80,
            questions: [
              {
                text: 'Which zone of the stress continuum describes distress that is mild and temporary?',
                kind: 'choice',
                options: ['Ready (green)', 'Reacting (yellow)', 'Ill (red)'],
                correct: 1,
              },
              {
                text: 'Which of the seven Cs comes first?',
                kind: 'choice',
                options: ['Calm', 'Check', 'Connect'],
                correct: 1,
              },
            ],
          }
        : { questions: [] },
      evaluationRequired: true,
      evaluationQuestions: [
        { text: 'The activity met its stated objectives.', kind: 'scale' },
        { text: 'What will you change in your practice?', kind: 'text' },
      ],
    },
    disclosures: [
      { name: 'Dr. Elena García', role: 'planner', company: '', relationship: '', mitigated: false },
      {
        name: 'Dr. Omar Haddad',
        role: 'faculty',
        company: 'Acme Pharmaceuticals',
        relationship: 'Consulting fee',
        mitigated: true,
      },
    ],
    courseIds: [course.courseId],
    publishedAt: options.status === 'draft' ? undefined : new Date('2026-01-05T15:00:00Z'),
    createdBy: 'Sam Whitfield',
  });
}

/** The two bundled modules of seedActivity, completed by `userId` a week ago. */
export async function seedCompletions(course: CourseIds, userId: string): Promise<void> {
  const completedAt = DateTime.utc().minus({ weeks: 1 });
  for (const [slug, title] of [
    ['stress-first-aid', 'Stress First Aid'],
    ['sleep-and-recovery', 'Sleep and Recovery'],
  ] as const) {
    await ModuleCompletionModel.create({
      tenantId: course.tenantId,
      userId,
      slug,
      version: 1,
      title,
      completedAt: completedAt.toJSDate(),
      localDate: completedAt.setZone('America/Chicago').toISODate(),
      estimatedMinutes: 20,
    });
  }
}

/** A reporting profile of a physician (MD), with PARS consent. */
export async function seedPhysicianProfile(course: CourseIds, userId: string): Promise<void> {
  await CmeProfileModel.create({
    tenantId: course.tenantId,
    userId,
    profession: 'physician-md',
    firstName: 'Priya',
    lastName: 'Raman',
    npi: '1234567893',
    licenseNumber: '036.123456',
    licenseState: 'IL',
    certifyingBoard: 'American Board of Internal Medicine',
    boardId: '123456',
    birthMonthDay: '0314',
    consents: { pars: { given: true, at: new Date() } },
  });
}

/** A ledger entry as the claims part writes it (one document: the claim, its number and its audit fields). */
export async function seedLedgerEntry(
  course: CourseIds,
  fields: {
    userId: string;
    activity: { _id: mongoose.Types.ObjectId; key: string; version: number };
    creditType: string;
    amount: number;
    completionDate: string;
    learnerName: string;
    profession: string;
    kind?: 'claim' | 'revocation' | 'reissue';
    revokesEntryId?: mongoose.Types.ObjectId;
    reissueOfEntryId?: mongoose.Types.ObjectId;
    reason?: string;
  },
) {
  const kind = fields.kind ?? 'claim';
  const key =
    kind === 'claim'
      ? `claim:${fields.userId}:${fields.activity.key}:${fields.creditType}`
      : `${kind === 'revocation' ? 'revoke' : 'reissue'}:${String(fields.revokesEntryId ?? fields.reissueOfEntryId)}`;
  return LedgerEntryModel.create({
    tenantId: course.tenantId,
    userId: fields.userId,
    kind,
    idempotencyKey: key,
    number: newCertificateNumber(),
    activityKey: fields.activity.key,
    activityId: fields.activity._id,
    activityVersion: fields.activity.version,
    creditType: fields.creditType,
    amount: fields.amount,
    attestationText:
      kind === 'claim'
        ? 'I attest that I completed this activity and claim only the credit commensurate with my participation.'
        : '',
    recordedAt: new Date(),
    completionDate: fields.completionDate,
    revokesEntryId: fields.revokesEntryId,
    reissueOfEntryId: fields.reissueOfEntryId,
    recordedBy:
      kind === 'claim'
        ? { kind: 'learner', id: fields.userId, name: fields.learnerName }
        : { kind: 'lti-admin', id: '2', name: 'Sam Whitfield' },
    reason: fields.reason ?? '',
    learnerName: fields.learnerName,
    profession: fields.profession,
  });
}
