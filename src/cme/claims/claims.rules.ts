import { DateTime } from 'luxon';
import {
  cmeProfessionLabels,
  creditTypeLabels,
  creditTypes,
  isQuarterStep,
  professionMayReceive,
  type CmeActivity,
  type CmeProfession,
  type CreditType,
} from '../core';

/** A credit type a learner may claim for an activity, up to its designated maximum, with its statement. */
export interface ClaimableCredit {
  creditType: CreditType;
  label: string;
  maximum: number;
  statement: string;
}

type DesignatedActivity = Pick<CmeActivity, 'designations' | 'providerName' | 'format'>;

const physicianProfessions: readonly string[] = ['physician-md', 'physician-do'];

/** A credit amount as people read it: 2, 1.25. */
export function formatCredits(amount: number): string {
  return String(Math.round(amount * 100) / 100);
}

/** `YYYY-MM-DD` (a calendar date, no zone) as people read it: 14 March 2026. */
export function readableDate(isoDate: string): string {
  const date = DateTime.fromISO(isoDate, { zone: 'utc' });
  return date.isValid ? date.toFormat('d LLLL yyyy') : isoDate;
}

/**
 * The participation certificate a non-physician receives when the activity designates AMA credit but nothing of
 * their own profession (DOMAIN.md "CME credit": only MD/DO receive AMA credit, others a certificate of
 * participation), for up to the AMA maximum in hours (60 minutes = 1 credit).
 */
function participationFromAma(activity: DesignatedActivity, maximum: number): ClaimableCredit {
  const hours = maximum === 1 ? 'hour' : 'hours';
  return {
    creditType: 'participation',
    label: creditTypeLabels.participation,
    maximum,
    statement:
      `This activity is designated for a maximum of ${formatCredits(maximum)} AMA PRA Category 1 Credit™ for ` +
      `physicians. ${activity.providerName} awards other health professionals a certificate of participation ` +
      `for up to ${formatCredits(maximum)} ${hours}.`,
  };
}

/**
 * What a learner of this profession may claim for the activity: each designation their profession may receive
 * (credit.types.ts), and for a non-physician with nothing of their own profession designated, a certificate of
 * participation derived from the AMA designation.
 */
export function claimableCredits(activity: DesignatedActivity, profession: CmeProfession): ClaimableCredit[] {
  const credits: ClaimableCredit[] = activity.designations
    .filter((designation) => professionMayReceive(profession, designation.creditType as CreditType))
    .map((designation) => ({
      creditType: designation.creditType as CreditType,
      label: creditTypeLabels[designation.creditType as CreditType],
      maximum: designation.maximum,
      statement: designation.statement,
    }));
  const ama = activity.designations.find((designation) => designation.creditType === 'ama-pra-1');
  const ownProfession = credits.some((credit) => credit.creditType !== 'ipce');
  if (!physicianProfessions.includes(profession) && ama && !ownProfession) {
    credits.push(participationFromAma(activity, ama.maximum));
  }
  return credits.sort((a, b) => creditTypes.indexOf(a.creditType) - creditTypes.indexOf(b.creditType));
}

/**
 * The credit of one type an activity version offers, whoever claims it: its designation, or the participation
 * certificate derived from the AMA designation. What a reissue is checked against (the learner's profession was
 * checked at the claim).
 */
export function creditOfType(
  activity: DesignatedActivity,
  creditType: CreditType,
): ClaimableCredit | undefined {
  const designation = activity.designations.find((item) => item.creditType === creditType);
  if (designation) {
    return {
      creditType,
      label: creditTypeLabels[creditType],
      maximum: designation.maximum,
      statement: designation.statement,
    };
  }
  const ama = activity.designations.find((item) => item.creditType === 'ama-pra-1');
  return creditType === 'participation' && ama ? participationFromAma(activity, ama.maximum) : undefined;
}

/** The attestation the claim page shows, before the designation statement of each credit type claimed. */
export function attestationFor(activity: Pick<CmeActivity, 'title'>, completionDate: string): string {
  return (
    `I attest that I completed the activity “${activity.title}” on ${readableDate(completionDate)}, and that I ` +
    'claim only the credit commensurate with the extent of my participation in the activity.'
  );
}

/** The attestation recorded with one ledger entry, word for word: the attestation and that type's statement. */
export function attestationTextFor(
  activity: Pick<CmeActivity, 'title'>,
  completionDate: string,
  credit: ClaimableCredit,
): string {
  return `${attestationFor(activity, completionDate)} ${credit.statement}`;
}

/** Why a profession may not receive a credit type, naming the rule (DOMAIN.md "CME credit"). */
export function professionRule(creditType: CreditType, profession: CmeProfession): string {
  const who = cmeProfessionLabels[profession].toLowerCase();
  switch (creditType) {
    case 'ama-pra-1':
      return `AMA PRA Category 1 Credit™ is for physicians (MD or DO) only. As a ${who} you receive a certificate of participation with hours instead.`;
    case 'participation':
      return 'A certificate of participation is for health professionals other than physicians: physicians claim AMA PRA Category 1 Credit™.';
    case 'ancc':
      return `ANCC contact hours are for nurses only; your reporting profile says ${who}.`;
    case 'acpe':
      return `ACPE contact hours are for pharmacists and pharmacy technicians only; your reporting profile says ${who}.`;
    case 'ipce':
      return 'IPCE credit is for every member of the health care team.';
  }
}

/**
 * Credit for one activity is claimed under one profession (DOMAIN.md "CME credit": AMA credit for MD/DO, others a
 * certificate of participation): a learner who claimed hours as a nurse and then changes the reporting profile to
 * MD must not also receive AMA credit for the same participation. `standing` are the learner's certificates of
 * the activity that are not revoked. Answers the refusal, naming the earlier certificate, or '' when none clashes.
 */
export function professionConflict(
  standing: Array<{ profession?: string | null; number: string }>,
  profession: CmeProfession,
): string {
  const other = standing.find((entry) => entry.profession && entry.profession !== profession);
  if (!other) return '';
  const earlier = cmeProfessionLabels[other.profession as CmeProfession]?.toLowerCase() ?? other.profession;
  return (
    `You already claimed credit for this activity as a ${earlier} (certificate ${other.number}), and credit for ` +
    'one activity is claimed under one profession. If your profession was recorded wrongly, ask your CME office ' +
    'to revoke that certificate first.'
  );
}

/** The field of a credit type's amount on the claim form. */
export const amountField = (creditType: CreditType) => `amount-${creditType}`;

/** Whatever the claim form sent: the attestation box and each credit type's amount as typed. */
export interface ClaimForm {
  attested: boolean;
  /** Typed amounts by credit type (only known credit types; empty means "not claimed"). */
  amounts: Partial<Record<CreditType, string>>;
}

/** Reads one typed amount against the rules; the amount in credits, or why it is refused. */
export function readAmount(typed: string, credit: ClaimableCredit): { amount: number } | { error: string } {
  if (!/^\d{1,3}(?:\.\d{1,2})?$/.test(typed)) {
    return { error: `Enter the ${credit.label} you claim as a number, such as 1.25.` };
  }
  const amount = Number(typed);
  if (amount <= 0) return { error: `Claim more than 0 ${credit.label}, or leave the box empty.` };
  if (!isQuarterStep(amount)) {
    return {
      error: `Claim ${credit.label} in quarter-hour steps (0.25, 0.5, 0.75, 1, …): ${typed} is not one.`,
    };
  }
  if (amount > credit.maximum) {
    return {
      error: `You can claim at most ${formatCredits(credit.maximum)} ${credit.label} for this activity: its designated maximum.`,
    };
  }
  return { amount };
}

/** A claim as checked: each credit type with its amount. */
export interface CheckedClaim {
  credit: ClaimableCredit;
  amount: number;
}

/**
 * Checks a claim form against the activity and the learner's profession (pure): every amount a quarter step up to
 * its maximum, only credit types the activity designates and the profession may receive, the attestation ticked,
 * at least one amount. Answers the claims, or field errors (`form` for what has no field of its own).
 */
export function checkClaim(
  activity: DesignatedActivity,
  profession: CmeProfession,
  form: ClaimForm,
): { claims: CheckedClaim[] } | { errors: Record<string, string> } {
  const claimable = claimableCredits(activity, profession);
  const errors: Record<string, string> = {};
  const claims: CheckedClaim[] = [];
  for (const creditType of creditTypes) {
    const typed = form.amounts[creditType]?.trim() ?? '';
    if (!typed) continue;
    const credit = claimable.find((item) => item.creditType === creditType);
    if (!credit) {
      const designated = activity.designations.some((designation) => designation.creditType === creditType);
      errors.form ??= designated
        ? professionRule(creditType, profession)
        : `This activity does not designate ${creditTypeLabels[creditType]}.`;
      continue;
    }
    const read = readAmount(typed, credit);
    if ('error' in read) errors[amountField(creditType)] = read.error;
    else claims.push({ credit, amount: read.amount });
  }
  if (!claims.length && !Object.keys(errors).length) {
    errors[amountField(claimable[0]?.creditType ?? 'participation')] =
      'Enter the credit you claim for at least one credit type.';
  }
  if (!form.attested) errors.attest = 'Tick the attestation to claim credit: it is recorded with your claim.';
  return Object.keys(errors).length ? { errors } : { claims };
}
