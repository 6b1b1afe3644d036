import type { ExportFormat, ExportStatus } from './export.model';

/**
 * How each kind of file reads on the export pages: its name, and a line on what it is for (the coordinator picks
 * one without opening the files' documentation).
 */
export const exportFormatChoices: Record<ExportFormat, { label: string; hint: string }> = {
  'claims-csv': {
    label: 'All claims (CSV)',
    hint: 'Every ledger entry in the filters — claims, reissues and revocations — with every field; revoked claims are marked. For your records and audits.',
  },
  'pars-csv': {
    label: 'ACCME PARS learner completions (CSV)',
    hint: 'Physicians’ AMA PRA Category 1 Credit™ of learners who consented to PARS reporting, in the column order of ACCME’s learner template. A revoked claim already reported becomes a delete record.',
  },
  'pars-xlsx': {
    label: 'ACCME PARS learner completions (Excel)',
    hint: 'The same rows as the PARS CSV, as an Excel workbook for PARS’ Excel upload.',
  },
  'pars-precheck-csv': {
    label: 'PARS pre-check (CSV)',
    hint: 'Claims PARS would reject, each with the learner and what to fix. They are left out of the PARS file until fixed.',
  },
  'cpe-monitor-csv': {
    label: 'CPE Monitor batch (CSV)',
    hint: 'Pharmacists’ and pharmacy technicians’ ACPE credit for NABP CPE Monitor, flagged from day 45; NABP refuses records after day 60.',
  },
  'cpe-monitor-precheck-csv': {
    label: 'CPE Monitor pre-check (CSV)',
    hint: 'ACPE claims CPE Monitor would reject (NABP e-Profile ID, birth date or UAN missing or malformed).',
  },
  'ce-broker-csv': {
    label: 'CE Broker (CSV)',
    hint: 'Nurses’ ANCC contact hours for CE Broker: provider number, course number, license number, completion date, state and profession.',
  },
  'ce-broker-precheck-csv': {
    label: 'CE Broker pre-check (CSV)',
    hint: 'Nurses’ claims CE Broker would reject (provider or course number, license number or state missing).',
  },
};

/** Each status as a word (the page never relies on colour alone). */
export const exportStatusLabels: Record<ExportStatus, string> = {
  queued: 'Waiting to start',
  running: 'Being written',
  complete: 'Complete',
  empty: 'No rows: no file',
  failed: 'Failed',
};

/** Formats that report to a body: their real runs write receipts (never the pre-checks or the claims CSV). */
export const reportFormats: readonly ExportFormat[] = [
  'pars-csv',
  'pars-xlsx',
  'cpe-monitor-csv',
  'ce-broker-csv',
];

/** Which claims each file takes (DOMAIN.md "Reporting"), for the message when the filters hold none of them. */
export const formatScope: Record<ExportFormat, string> = {
  'claims-csv': 'every claim',
  'pars-csv': 'AMA PRA Category 1 Credit™ claims',
  'pars-xlsx': 'AMA PRA Category 1 Credit™ claims',
  'pars-precheck-csv': 'AMA PRA Category 1 Credit™ claims',
  'cpe-monitor-csv': 'ACPE claims of pharmacists and pharmacy technicians',
  'cpe-monitor-precheck-csv': 'ACPE claims of pharmacists and pharmacy technicians',
  'ce-broker-csv': 'ANCC claims of nurses',
  'ce-broker-precheck-csv': 'ANCC claims of nurses',
};
