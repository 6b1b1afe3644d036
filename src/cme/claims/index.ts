// The door to cme/claims/: the claim page and the claims ledger (issue 13, item 3), the CME admin's corrections
// (revoke, reissue, audit log), and CME claim pages as deep-linking targets.
export { claimsRouter } from './claims.routes';
export { claimsAdminRouter } from './corrections.routes';
export { activeClaimsOf, ledgerOf } from './ledger.service';
export type { LedgerLine } from './ledger.service';
export { claimCredit } from './claims.service';
export { claimableCredits, formatCredits } from './claims.rules';
export type { ClaimableCredit, ClaimForm } from './claims.rules';
export { courseCreditId, findClaimTarget, isClaimTargetId, listClaimTargets } from './claims.targets';
export type { ClaimTarget } from './claims.targets';
