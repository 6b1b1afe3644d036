/**
 * Credit types Rounds records (issue 13; DOMAIN.md "CME credit"), and who may receive each. AMA PRA Category 1
 * Credit™ goes to physicians (MD/DO) only; everyone else gets a certificate of participation with hours, plus
 * their own profession's credit where the activity designates it (Joint Accreditation: ANCC for nurses, ACPE for
 * pharmacists and pharmacy technicians; IPCE for every member of the team).
 */
export const creditTypes = ['ama-pra-1', 'ancc', 'acpe', 'ipce', 'participation'] as const;
export type CreditType = (typeof creditTypes)[number];

/** Professions as the CME reporting profile records them (what boards and registries need). */
export const cmeProfessions = [
  'physician-md',
  'physician-do',
  'nurse',
  'pharmacist',
  'pharmacy-technician',
  'other',
] as const;
export type CmeProfession = (typeof cmeProfessions)[number];

export const cmeProfessionLabels: Record<CmeProfession, string> = {
  'physician-md': 'Physician (MD)',
  'physician-do': 'Physician (DO)',
  nurse: 'Nurse',
  pharmacist: 'Pharmacist',
  'pharmacy-technician': 'Pharmacy technician',
  other: 'Other health professional',
};

/** How each credit type reads on pages, certificates and transcripts (™ as AMA requires). */
export const creditTypeLabels: Record<CreditType, string> = {
  'ama-pra-1': 'AMA PRA Category 1 Credit™',
  ancc: 'ANCC contact hours',
  acpe: 'ACPE contact hours',
  ipce: 'IPCE credit',
  participation: 'Certificate of participation (hours)',
};

/** Whether a profession may receive a credit type (the claim page offers only these; the ledger refuses others). */
export function professionMayReceive(profession: CmeProfession, creditType: CreditType): boolean {
  const physician = profession === 'physician-md' || profession === 'physician-do';
  switch (creditType) {
    case 'ama-pra-1':
      return physician;
    case 'participation':
      return !physician;
    case 'ancc':
      return profession === 'nurse';
    case 'acpe':
      return profession === 'pharmacist' || profession === 'pharmacy-technician';
    case 'ipce':
      return true;
  }
}

/** Credits are claimed in quarter-hour steps (0.25), more than 0 (AMA: 60 minutes = 1 credit). */
export function isQuarterStep(amount: number): boolean {
  return Number.isFinite(amount) && amount > 0 && Math.abs(amount * 4 - Math.round(amount * 4)) < 1e-9;
}
