import type { Actor } from '../../shared/auth/actor';
import { NotFoundError, ValidationError } from '../../shared/errors';
import {
  cmeProfessionLabels,
  creditTypeLabels,
  professionMayReceive,
  type CmeActivity,
  type CmeProfession,
  type CreditType,
  type LedgerEntry,
} from '../core';
import { profileOf } from '../profile';
import { requirementsFor, type Requirement } from '../requirements';
import {
  amountField,
  attestationFor,
  attestationTextFor,
  checkClaim,
  claimableCredits,
  formatCredits,
  professionConflict,
  readableDate,
  type ClaimForm,
} from './claims.rules';
import { activityExists, claimableVersion } from './claims.sources';
import { appendEntry, entriesOf, toLines, type LedgerLine } from './ledger.service';

export const formatLabels: Record<string, string> = {
  enduring: 'Enduring material',
  live: 'Live course',
  rss: 'Regularly scheduled series',
  other: 'Other activity',
};

/** Where a learner claims credit for an activity. */
export const claimPath = (key: string) => `/cme/activities/${encodeURIComponent(key)}`;

/** The reporting profile form, returning to the claim page afterwards. */
export const profilePathFor = (key: string) => `/cme/profile?next=${encodeURIComponent(claimPath(key))}`;

/** The idempotency key of a learner's claim of one credit type (ledger.model.ts): one claim each, ever. */
const claimKey = (actor: Actor, key: string, creditType: CreditType) =>
  `claim:${actor.userId}:${key}:${creditType}`;

/** The activity a learner claims under, or 404 (unknown, draft, another tenant's), saying when it is closed. */
async function openActivity(actor: Actor, key: string): Promise<CmeActivity> {
  const activity = await claimableVersion(actor.tenantId, key);
  if (activity) return activity;
  if (await activityExists(actor.tenantId, key)) {
    throw new NotFoundError(
      'This CME activity is not open for claims: it is closed or not published yet. Certificates you already have stay on your CME page.',
    );
  }
  throw new NotFoundError('There is no CME activity here. Open it again from your course.');
}

/** Disclosures as learners read them (ACCME Standard 3): each person's relationship, or that there is none. */
function disclosuresOf(activity: CmeActivity) {
  const people = activity.disclosures.map((person) => ({
    name: person.name,
    role: person.role === 'planner' ? 'Planner' : 'Faculty',
    company: person.company ?? '',
    relationship: person.relationship ?? '',
    hasRelationship: Boolean(person.company?.trim()),
    mitigated: Boolean(person.mitigated),
  }));
  return { people, noneAtAll: people.every((person) => !person.hasRelationship) };
}

/** "Still required: …" naming each unmet requirement (issue 13: the refusal names what is missing). */
export function missingMessage(requirements: Requirement[]): string {
  const missing = requirements
    .filter((requirement) => !requirement.met)
    .map((requirement) => requirement.label);
  return `You cannot claim credit yet: the activity’s requirements are not all met. Still required: ${missing.join('; ')}.`;
}

/** The learner's certificates for this activity, newest last. */
async function linesForActivity(actor: Actor, key: string): Promise<LedgerLine[]> {
  const entries = (await entriesOf(actor.tenantId, actor.userId)).filter(
    (entry) => entry.activityKey === key,
  );
  return toLines(entries);
}

/**
 * Everything the claim page shows (issue 13, item 3): the activity and its disclosures before anything else, each
 * requirement met or not with its link, and once all are met and the reporting profile is filled in, the
 * attestation and an amount for each credit type the learner's profession may receive and has not claimed yet.
 */
/** Who each credit type is for, as the claim page tells a learner before they start (DOMAIN.md, CME credit). */
const creditAudiences: Record<CreditType, string> = {
  'ama-pra-1': 'physicians (MD, DO)',
  ancc: 'nurses',
  acpe: 'pharmacists and pharmacy technicians',
  ipce: 'every member of the health care team',
  participation: 'health professionals other than physicians',
};

export async function claimPageFor(actor: Actor, key: string) {
  const activity = await openActivity(actor, key);
  const [report, profile, claims] = await Promise.all([
    requirementsFor(actor, activity),
    profileOf(actor.tenantId, actor.userId),
    linesForActivity(actor, key),
  ]);
  const profession = profile?.profession as CmeProfession | undefined;
  const claimedTypes = new Set(claims.map((line) => line.creditType));
  const credits = profession
    ? claimableCredits(activity, profession).map((credit) => ({
        ...credit,
        field: amountField(credit.creditType),
        maximumText: formatCredits(credit.maximum),
        claimed: claimedTypes.has(credit.creditType),
      }))
    : [];
  const completionDate = report.completionDate;
  return {
    activity: {
      key: activity.key,
      version: activity.version,
      title: activity.title,
      description: activity.description ?? '',
      format: formatLabels[activity.format] ?? activity.format,
      providerName: activity.providerName,
      accreditationStatement: activity.accreditationStatement,
      startDate: readableDate(activity.startDate),
      endDate: readableDate(activity.endDate),
      sameDay: activity.startDate === activity.endDate,
      location: activity.format === 'live' || activity.format === 'rss' ? (activity.location ?? '') : '',
    },
    disclosures: disclosuresOf(activity),
    offers: activity.designations.map((designation) => {
      const creditType = designation.creditType as CreditType;
      return {
        label: creditTypeLabels[creditType],
        maximumText: formatCredits(designation.maximum),
        audience: creditAudiences[creditType],
        yours: profession ? professionMayReceive(profession, creditType) : false,
      };
    }),
    requirements: report.requirements,
    allMet: report.allMet,
    completionDate: completionDate ? readableDate(completionDate) : '',
    attestation: completionDate ? attestationFor(activity, completionDate) : '',
    profession: profession ? cmeProfessionLabels[profession] : '',
    profilePath: profilePathFor(key),
    credits,
    openCredits: credits.filter((credit) => !credit.claimed),
    claims: claims.map((line) => ({ ...line, amountText: formatCredits(line.amount) })),
    claimPath: claimPath(key),
  };
}

export type ClaimPage = Awaited<ReturnType<typeof claimPageFor>>;

/**
 * Claims credit (issue 13, item 3): refuses, naming the rule, a claim before the requirements are met, an amount
 * that is not a quarter step or is above the designated maximum, a credit type the learner's profession may not
 * receive, and a credit type already claimed. Writes one ledger entry per credit type, each with its certificate
 * number, the attestation word for word, the tenant-local completion date and a snapshot of the learner's name
 * and profession. Idempotent: a double submit racing itself finds the first entry and writes no second.
 * Answers `profile-needed` when the reporting profile (asked at the first claim) is missing.
 * `recordedAt` is stamped just before the insert (`now` plus the time the look-ups took), not when the request
 * began: an export made meanwhile reads entries recorded up to its instant (issue 14), so an entry stamped
 * before it but stored after it would be missing from the file yet present in its re-creation. The completion
 * date stays `now`'s.
 */
export async function claimCredit(
  actor: Actor,
  key: string,
  form: ClaimForm,
  now = new Date(),
): Promise<{ outcome: 'claimed'; entries: LedgerLine[] } | { outcome: 'profile-needed' }> {
  const began = Date.now();
  const activity = await openActivity(actor, key);
  // Requirements first: a learner who cannot claim yet is told what is missing, not sent to the profile form.
  const report = await requirementsFor(actor, activity, now);
  if (!report.allMet || !report.completionDate) {
    throw new ValidationError('Requirements not met', { form: missingMessage(report.requirements) });
  }
  // A certificate dated after the activity's last day would contradict its own printed dates.
  if (report.completionDate > activity.endDate) {
    throw new ValidationError('Activity ended', {
      form: `This activity ended on ${readableDate(activity.endDate)}; credit can no longer be claimed for work completed after that day.`,
    });
  }
  const profile = await profileOf(actor.tenantId, actor.userId);
  if (!profile) return { outcome: 'profile-needed' };
  const profession = profile.profession as CmeProfession;
  const checked = checkClaim(activity, profession, form);
  if ('errors' in checked) throw new ValidationError('Claim refused', checked.errors);

  const earlier = await linesForActivity(actor, key);
  // One activity's work earns credit under one profession: a participation certificate and AMA credit for the
  // same work (the profile's profession changed between claims) would count it twice.
  const refusal = professionConflict(
    earlier.filter((line) => !line.revoked),
    profession,
  );
  if (refusal) throw new ValidationError('Profession changed', { form: refusal });
  const already: Record<string, string> = {};
  for (const { credit } of checked.claims) {
    const line = earlier.find((item) => item.creditType === credit.creditType);
    if (!line) continue;
    already[amountField(credit.creditType)] = line.revoked
      ? `You already claimed ${credit.label} for this activity (certificate ${line.number}); the CME office revoked it. Ask them about a corrected certificate.`
      : `You already claimed ${credit.label} for this activity: certificate ${line.number}.`;
  }
  if (Object.keys(already).length) throw new ValidationError('Already claimed', already);

  const learnerName = [profile.firstName, profile.lastName].filter(Boolean).join(' ') || actor.name;
  const entries: LedgerEntry[] = [];
  for (const { credit, amount } of checked.claims) {
    // On the caller's clock (tests pass `now`), advanced by the time this request has taken so far.
    const recordedAt = new Date(now.getTime() + (Date.now() - began));
    const { entry } = await appendEntry({
      tenantId: activity.tenantId,
      userId: actor.userId,
      kind: 'claim',
      idempotencyKey: claimKey(actor, key, credit.creditType),
      activityKey: activity.key,
      activityId: activity._id,
      activityVersion: activity.version,
      creditType: credit.creditType,
      amount,
      attestationText: attestationTextFor(activity, report.completionDate, credit),
      recordedAt,
      completionDate: report.completionDate,
      recordedBy: { kind: 'learner', id: actor.userId, name: actor.name },
      reason: '',
      learnerName,
      profession,
    });
    entries.push(entry);
  }
  // One title look-up for every entry written, not one per credit type.
  return { outcome: 'claimed', entries: await toLines(entries) };
}
