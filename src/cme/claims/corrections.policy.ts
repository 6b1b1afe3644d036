import { ConflictError } from '../../shared/errors';

/** Where an entry stands in its chain of corrections (claim → revocation → reissue → …). */
export interface EntryStanding {
  kind: string;
  revoked: boolean;
  reissued: boolean;
}

/** Only a certificate that stands may be revoked: a claim or reissue, not a revocation, and only once. */
export function assertRevocable(entry: EntryStanding): void {
  if (entry.kind === 'revocation')
    throw new ConflictError('A revocation cannot be revoked: it is a correction itself.');
  if (entry.revoked) throw new ConflictError('This certificate is already revoked.');
}

/** Only a revoked certificate may be reissued, and only once: its reissue is the corrected certificate. */
export function assertReissuable(entry: EntryStanding): void {
  if (entry.kind === 'revocation') throw new ConflictError('Open the revoked certificate to reissue it.');
  if (!entry.revoked)
    throw new ConflictError('Revoke this certificate first: a reissue replaces a revoked one.');
  if (entry.reissued) throw new ConflictError('This certificate was already reissued.');
}

/** Whether the revoke and reissue forms apply to an entry (the page shows only those). */
export function correctionsOpenTo(entry: EntryStanding): { revoke: boolean; reissue: boolean } {
  return {
    revoke: entry.kind !== 'revocation' && !entry.revoked,
    reissue: entry.kind !== 'revocation' && entry.revoked && !entry.reissued,
  };
}
