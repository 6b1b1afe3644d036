import type { ActivityFormat, CreditType } from '../core';

/** What the statements need to know of an activity: who provides it, in which format, and how much it offers. */
export interface StatementFacts {
  providerName: string;
  format: ActivityFormat;
  maximum: number;
}

/** Placeholders left in prefilled wording until the provider and the maximum are known; saving refuses them. */
export const statementPlaceholders = ['[Provider]', '[N]'] as const;

/** How the AMA designation statement names each format (AMA PRA booklet: "live activity" or "enduring material"). */
const amaFormatWords: Record<ActivityFormat, string> = {
  enduring: 'enduring material',
  live: 'live activity',
  rss: 'live activity',
  other: 'activity',
};

/** A credit amount as statements print it: `2`, `1.25`, or `[N]` while unknown. */
function amountText(maximum: number): string {
  return Number.isFinite(maximum) && maximum > 0 ? String(maximum) : '[N]';
}

/**
 * The usual designation wording for a credit type, for the form to prefill (the admin may change it). AMA's is
 * word for word the AMA PRA designation statement (DOMAIN.md "CME credit"); the others follow Joint Accreditation's
 * common wording. Unknown provider or maximum stay as `[Provider]` and `[N]`, which saving refuses.
 */
export function designationStatementFor(creditType: CreditType, facts: StatementFacts): string {
  const provider = facts.providerName.trim() || '[Provider]';
  const amount = amountText(facts.maximum);
  const plural = (one: string, many: string) => (facts.maximum === 1 ? one : many);
  switch (creditType) {
    case 'ama-pra-1':
      return (
        `${provider} designates this ${amaFormatWords[facts.format]} for a maximum of ${amount} ` +
        `${plural('AMA PRA Category 1 Credit™', 'AMA PRA Category 1 Credits™')}. Physicians should claim only the ` +
        'credit commensurate with the extent of their participation in the activity.'
      );
    case 'ancc':
      return `${provider} designates this activity for a maximum of ${amount} ANCC ${plural('contact hour', 'contact hours')}.`;
    case 'acpe':
      return (
        `${provider} designates this activity for a maximum of ${amount} ACPE ${plural('contact hour', 'contact hours')} ` +
        'of continuing pharmacy education credit.'
      );
    case 'ipce':
      return (
        'This activity was planned by and for the healthcare team, and learners will receive a maximum of ' +
        `${amount} Interprofessional Continuing Education (IPCE) ${plural('credit', 'credits')} for learning and change.`
      );
    case 'participation':
      return (
        `${provider} awards other health professionals a certificate of participation for up to ${amount} ` +
        `${plural('hour', 'hours')} of this ${amaFormatWords[facts.format]}.`
      );
  }
}

/** The usual accreditation statement for each kind of accreditation, for the form to prefill. */
export function accreditationStatementFor(
  accreditation: 'joint' | 'accme' | 'ancc' | 'acpe',
  providerName: string,
): string {
  const provider = providerName.trim() || '[Provider]';
  switch (accreditation) {
    case 'joint':
      return (
        `In support of improving patient care, ${provider} is jointly accredited by the Accreditation Council for ` +
        'Continuing Medical Education (ACCME), the Accreditation Council for Pharmacy Education (ACPE), and the ' +
        'American Nurses Credentialing Center (ANCC), to provide continuing education for the healthcare team.'
      );
    case 'accme':
      return (
        `${provider} is accredited by the Accreditation Council for Continuing Medical Education (ACCME) to ` +
        'provide continuing medical education for physicians.'
      );
    case 'ancc':
      return (
        `${provider} is accredited as a provider of nursing continuing professional development by the American ` +
        "Nurses Credentialing Center's Commission on Accreditation."
      );
    case 'acpe':
      return (
        `${provider} is accredited by the Accreditation Council for Pharmacy Education as a provider of ` +
        'continuing pharmacy education.'
      );
  }
}

/** The evaluation every new activity starts with (on by default: DOMAIN.md); the admin may change it. */
export function defaultEvaluationQuestions(): { text: string; kind: 'scale' | 'text' }[] {
  return [
    { text: 'The activity met its stated learning objectives.', kind: 'scale' },
    { text: 'The content was fair, balanced and free of commercial bias.', kind: 'scale' },
    { text: 'What will you change in your practice as a result of this activity?', kind: 'text' },
  ];
}
