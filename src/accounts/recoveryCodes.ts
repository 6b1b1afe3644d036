// Recovery codes: the way into an account whose authenticator is lost. Pure code; totp.service.ts stores them.
import { createHash, randomInt } from 'node:crypto';

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
 * The stored form of a code: SHA-256 of its normalized text. A plain hash suffices (no argon2): the codes are
 * random with ~50 bits each, not chosen by people, so there is no dictionary to run against a stolen hash.
 */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256')
    .update(normalizeRecoveryCode(code) ?? code)
    .digest('hex');
}
