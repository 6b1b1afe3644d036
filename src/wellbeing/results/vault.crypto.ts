import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { openBytes, sealBytes, type Sealed } from '../../shared/crypto/aesGcm';

export type { Sealed };

// Envelope encryption of self-check results (issue 10, "Confidential results"): every learner has a data key of
// their own (32 random bytes), sealed with AES-256-GCM under a key-encryption key derived by HKDF-SHA256 (RFC 5869)
// from config.wellbeingKey. Destroying a learner's sealed data key makes every copy of their records unreadable,
// backups included. Each AES-GCM seal uses a fresh 96-bit IV (NIST SP 800-38D §8.2.2) and binds what the
// ciphertext belongs to as additional authenticated data, so a record moved to another learner does not open.

const kekSalt = 'rounds/wellbeing/kek';

/** The key-encryption key for data keys, derived from the configured secret (never stored). */
export function deriveKeyEncryptionKey(wellbeingKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', wellbeingKey, kekSalt, 'data-key-wrap v1', 32));
}

/** A new learner data key. */
export function newDataKey(): Buffer {
  return randomBytes(32);
}

/** Seals `plaintext` under `key` (32 bytes), binding `aad`. */
export const seal = sealBytes;

/** Opens a seal made by `seal` with the same key and `aad`; throws when either differs or the data was changed. */
export const open = openBytes;

/** What a sealed data key is bound to: the learner it belongs to. */
export function dataKeyAad(tenantId: string, userId: string): string {
  return `wellbeing-key|${tenantId}|${userId}`;
}

/** What a sealed result is bound to: its learner and its own id. */
export function resultAad(tenantId: string, userId: string, resultId: string): string {
  return `wellbeing-result|${tenantId}|${userId}|${resultId}`;
}

/** Separate keys for separate jobs, derived from the learner's data key. */
function subkey(dataKey: Buffer, purpose: 'records' | 'tallies'): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, '', `rounds/wellbeing/${purpose}`, 32));
}

/** The key a learner's result records are sealed with. */
export function recordKey(dataKey: Buffer): Buffer {
  return subkey(dataKey, 'records');
}

/**
 * The learner's anonymous tally token for one instrument and month: an HMAC only their data key can compute, so
 * a tally counts a person once without naming them, and deleting their data can find (and remove) their tallies.
 */
export function tallyToken(dataKey: Buffer, tenantId: string, instrument: string, month: string): string {
  return createHmac('sha256', subkey(dataKey, 'tallies'))
    .update(`${tenantId}|${instrument}|${month}`)
    .digest('base64url');
}

/** A random, unguessable id for a result record (no creation time inside, unlike an ObjectId). */
export function newRecordId(): string {
  return randomBytes(16).toString('base64url');
}

/** The shape of a record id, for validating ids from requests. */
export const recordIdPattern = /^[A-Za-z0-9_-]{22}$/;
