// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), with node:crypto only: no state, no database.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** RFC 6238 §4.1: the step every code lives for, and the Unix time steps count from. */
export const totpStepSeconds = 30;
/** Six digits: what authenticator apps show by default (RFC 4226 §5.3 allows 6 to 8). */
export const totpDigits = 6;
/** One step either way for clock drift and typing time (RFC 6238 §5.2; DOMAIN.md "Accounts"). */
export const totpDriftSteps = 1;
/** RFC 4226 §4 R6: a 160-bit shared secret, the size of an HMAC-SHA-1 key. */
const secretBytes = 20;

const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 §6 base32 without padding: what otpauth URIs and authenticator apps expect for the secret. */
export function encodeBase32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += base32Alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += base32Alphabet[(value << (5 - bits)) & 31];
  return out;
}

/** Reads base32 as a person may type it (any case, spaces, dashes or padding ignored); throws on another letter. */
export function decodeBase32(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = base32Alphabet.indexOf(char);
    if (index < 0) throw new Error('not a base32 string');
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A fresh random secret (20 bytes), base32: what an account enrols with and its authenticator app stores. */
export function generateTotpSecret(): string {
  return encodeBase32(randomBytes(secretBytes));
}

/** The time step a moment falls in (RFC 6238 §4.2: T = floor((now − T0) / X), T0 = 0). */
export function totpStepAt(at: Date | number): number {
  const ms = typeof at === 'number' ? at : at.getTime();
  return Math.floor(ms / 1000 / totpStepSeconds);
}

/**
 * The HOTP value of `key` at `counter` (RFC 4226 §5.3: HMAC-SHA-1, dynamic truncation, modulo 10^digits, left
 * padded with zeros). `digits` is 6 for Rounds; 8 serves the RFC's test vectors.
 */
export function hotp(key: Buffer, counter: number, digits: number = totpDigits): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The code an authenticator shows for `secret` (base32) at `at` — for tests and for nothing else in Rounds. */
export function totpCodeAt(secret: string, at: Date | number, digits: number = totpDigits): string {
  return hotp(decodeBase32(secret), totpStepAt(at), digits);
}

/**
 * Which time step `code` belongs to, checked at `at` with one step of drift either way; `undefined` when it
 * matches none of them or its step is not after `lastUsedStep` (RFC 6238 §5.2: a code is accepted once, so a
 * code seen over someone's shoulder or replayed from a log cannot sign in again). The caller stores the step
 * returned as the new `lastUsedStep`, atomically, so that two requests racing with one code cannot both pass.
 */
export function matchTotpStep(
  secret: string,
  code: string,
  at: Date | number,
  lastUsedStep = -1,
): number | undefined {
  const typed = normalizeTotpCode(code);
  if (typed === undefined) return undefined;
  const key = decodeBase32(secret);
  const current = totpStepAt(at);
  let matched: number | undefined;
  // Every candidate is computed and compared in constant time, so timing does not say which step matched.
  for (let step = current - totpDriftSteps; step <= current + totpDriftSteps; step += 1) {
    const expected = Buffer.from(hotp(key, step));
    if (timingSafeEqual(expected, Buffer.from(typed)) && step > lastUsedStep && matched === undefined)
      matched = step;
  }
  return matched;
}

/** A typed code with spaces removed, when it is six digits; else `undefined` (never a match). */
export function normalizeTotpCode(code: string): string | undefined {
  const typed = code.replace(/\s/g, '');
  return new RegExp(`^\\d{${totpDigits}}$`).test(typed) ? typed : undefined;
}

/**
 * The `otpauth://totp/` URI an authenticator app reads from the QR code (Google Authenticator's Key Uri Format,
 * the de facto standard): issuer "Rounds" in the label and as a parameter, the account's e-mail as its name.
 */
export function otpauthUri(secret: string, accountEmail: string, issuer = 'Rounds'): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountEmail)}`;
  const query = new URLSearchParams({
    secret,
    issuer,
    algorithm: 'SHA1',
    digits: String(totpDigits),
    period: String(totpStepSeconds),
  });
  return `otpauth://totp/${label}?${query.toString()}`;
}

/** The secret in groups of four, as a person copies it into an app by hand. */
export function groupSecret(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(' ') ?? '';
}
