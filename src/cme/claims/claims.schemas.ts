import { z } from 'zod';
import { creditTypes, type CreditType } from '../core';
import type { ClaimForm } from './claims.rules';

/**
 * The claim form: the attestation box (`attest=yes`) and `amount-<creditType>` for each credit type offered.
 * Amounts stay text here: the rules read them against the activity (claims.rules.ts), so a refusal names the rule.
 * Fields that are not a known credit type's amount are ignored; an amount sent twice counts as not typed.
 */
export const claimFormSchema = z
  .looseObject({ attest: z.unknown().optional() })
  .transform((body): ClaimForm => {
    const amounts: Partial<Record<CreditType, string>> = {};
    for (const creditType of creditTypes) {
      const typed = body[`amount-${creditType}`];
      if (typeof typed === 'string') amounts[creditType] = typed.trim().slice(0, 20);
    }
    return { attested: body.attest === 'yes', amounts };
  });

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .catch('')
    .transform((value) => value ?? '');

/** A page number from a query: 1 when missing or nonsense (lists never fail on a bad page). */
const pageNumber = z.coerce.number().int().min(1).max(10_000).catch(1);

/** The admin's claims search: free text (learner name or certificate number), an activity key, a page. */
export const claimSearchSchema = z.object({
  q: text(200),
  activity: text(100),
  page: pageNumber,
});

export const auditQuerySchema = z.object({ page: pageNumber });

const reason = z
  .string({ error: 'Give the reason: it is kept in the audit log.' })
  .trim()
  .min(1, 'Give the reason: it is kept in the audit log.')
  .max(1000, 'Keep the reason under 1,000 characters.');

/** Revoking a certificate: a reason is required (the audit log says why). */
export const revokeFormSchema = z.object({ reason });

/** Reissuing a revoked certificate: the reason and the corrected amount (checked against the designation). */
export const reissueFormSchema = z.object({
  reason,
  amount: z
    .string({ error: 'Enter the corrected amount, such as 1.25.' })
    .trim()
    .min(1, 'Enter the corrected amount, such as 1.25.')
    .max(20, 'Enter the corrected amount, such as 1.25.'),
});
