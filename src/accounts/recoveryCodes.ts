// Recovery codes: the way into an account whose authenticator is lost. Pure code; totp.service.ts stores them.
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { accountSubkey } from './accounts.keys';

/** How many codes an account holds at once (each usable once). */
export const recoveryCodeCount = 10;

// No 0/o, 1/l/i: a code copied from paper must not be misread. 31 symbols × 10 = about 50 bits per code, which
// a hashed, single-use, rate-limited code needs (a guess is checked online only).
const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
const codeLength = 10;

/** Ten fresh codes, shown once as `xxxxx-xxxxx`; only their hashes are stored. */
export function generateRecoveryCodes(): string[] {
  return Array.from({ length: recoveryCodeCount }, () => {
    let code = '';
    for (let i = 0; i < codeLength; i += 1) code += alphabet[randomInt(alphabet.length)];
    return `${code.slice(0, 5)}-${code.slice(5)}`;
  });
}

/** A typed code as stored: lower case, without spaces or dashes; `undefined` when it cannot be a recovery code. */
export function normalizeRecoveryCode(typed: string): string | undefined {
  const clean = typed.toLowerCase().replace(/[\s-]/g, '');
  return new RegExp(`^[${alphabet}]{${codeLength}}$`).test(clean) ? clean : undefined;
}

/**
 * The key of the stored codes' HMACs: HKDF-SHA-256 of config.ltiEncryptionKey (a server secret that is not in the
 * database and not rotated with sessions), with its own info so it is no other key.
 */
export function recoveryCodeKey(encryptionKey: string): Buffer {
  return accountSubkey(encryptionKey, 'recovery codes v1');
}

/**
 * The stored form of a code: HMAC-SHA-256 under the server's key over `<accountId>|<normalized code>`. A plain
 * SHA-256 of ~50 random bits is cracked offline in hours for every account at once from a copy of the database;
 * without the key a stolen hash is worthless, and the account id makes each account's hashes its own.
 * `undefined` when `typed` cannot be a recovery code.
 */
export function hashRecoveryCode(key: Buffer, accountId: string, typed: string): string | undefined {
  const code = normalizeRecoveryCode(typed);
  if (!code) return undefined;
  return createHmac('sha256', key).update(`${accountId}|${code}`).digest('hex');
}

/**
 * Which of `stored` (hex HMACs) equals `hash`, compared in constant time and every one of them, so the time taken
 * does not tell how much of a stored hash a guess got right; -1 when none does.
 */
export function matchingHashIndex(stored: readonly string[], hash: string): number {
  const wanted = Buffer.from(hash, 'hex');
  let found = -1;
  stored.forEach((item, index) => {
    const candidate = Buffer.from(item, 'hex');
    if (candidate.length === wanted.length && timingSafeEqual(candidate, wanted) && found < 0) found = index;
  });
  return found;
}
