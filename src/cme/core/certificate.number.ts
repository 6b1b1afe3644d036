import { randomBytes } from 'node:crypto';

/**
 * Certificate numbers: 16 random characters of Crockford's base32 (80 bits: unguessable) and one check symbol
 * from Crockford's 37-symbol check alphabet, shown in groups: `RND-XXXX-XXXX-XXXX-XXXX-C`. The check is the sum of
 * the characters' values weighted by position, mod 37 (a prime): any one mistyped character and any two swapped
 * neighbours change it, so a typo is told apart from a number that does not exist.
 */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const checkAlphabet = `${alphabet}*~$=U`;
const prefix = 'RND';
const bodyLength = 16;

/** The check symbol: position-weighted sum of the body's values, mod 37. */
function checkOf(body: string): string {
  let sum = 0;
  for (let index = 0; index < body.length; index += 1) {
    sum = (sum + alphabet.indexOf(body[index]!) * (index + 1)) % 37;
  }
  return checkAlphabet[sum]!;
}

/** A new certificate number (random, checksummed, grouped). */
export function newCertificateNumber(): string {
  const bytes = randomBytes(bodyLength);
  const body = Array.from(bytes, (byte) => alphabet[byte % 32]).join('');
  return format(body + checkOf(body));
}

function format(compact: string): string {
  const groups = compact.slice(0, bodyLength).match(/.{4}/g)!;
  return `${prefix}-${groups.join('-')}-${compact.slice(bodyLength)}`;
}

export type CertificateNumberReading =
  { ok: true; number: string } | { ok: false; reason: 'malformed' | 'checksum' };

/**
 * Reads a typed certificate number: spaces, dashes and case do not matter, and O/I/L read as 0/1/1 (Crockford).
 * Answers the canonical form, or why it cannot be one: `malformed` (wrong length or characters) or `checksum`
 * (a typo). Says nothing of whether the number exists.
 */
export function readCertificateNumber(typed: string): CertificateNumberReading {
  let compact = typed.toUpperCase().replace(/[\s-]/g, '');
  if (compact.startsWith(prefix)) compact = compact.slice(prefix.length);
  compact = compact.replace(/O/g, '0').replace(/[IL]/g, '1');
  if (compact.length !== bodyLength + 1) return { ok: false, reason: 'malformed' };
  const body = compact.slice(0, bodyLength);
  if ([...body].some((character) => !alphabet.includes(character))) return { ok: false, reason: 'malformed' };
  if (checkOf(body) !== compact[bodyLength]) return { ok: false, reason: 'checksum' };
  return { ok: true, number: format(compact) };
}
