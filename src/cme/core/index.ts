// The door to cme/core/: credit types and who may receive them, the activity, profile and ledger models,
// certificate numbers, who is a CME admin, and the CSV field both CSV downloads write.
export * from './credit.types';
export { CmeActivityModel, activityFormats, activityStatuses } from './activity.model';
export type { ActivityFormat, CmeActivity } from './activity.model';
export { CmeProfileModel } from './profile.model';
export type { CmeProfile } from './profile.model';
export { CmeProfileRevisionModel } from './profileRevision.model';
export type { CmeProfileRevision } from './profileRevision.model';
export { LedgerEntryModel, ledgerEntryKinds } from './ledger.model';
export type { LedgerEntry, LedgerEntryKind } from './ledger.model';
export { newCertificateNumber, readCertificateNumber } from './certificate.number';
export type { CertificateNumberReading } from './certificate.number';
export { requireCmeAdmin } from './cmeAdmin';
export type { CmeAdmin } from './cmeAdmin';
export { csvField, spreadsheetSafe } from './csv';
