import { createHmac, hkdfSync } from 'node:crypto';
import { loadConfig, type Config } from '../config';

/** What the accounts' records need from the configuration at write time. */
export type AccountKeySettings = Pick<Config, 'ltiEncryptionKey' | 'auditRetentionDays'>;

// Fixed salt and infos: each key must derive the same every boot; its `info` keeps it apart from the other keys
// that come from LTI_ENCRYPTION_KEY (tool keys, e-mail digests, TOTP secrets, recovery codes).
const salt = Buffer.from('rounds/accounts');

let settings: AccountKeySettings | undefined;
const subkeys = new Map<string, Buffer>();

/**
 * A 256-bit key for one use (`info`) derived with HKDF-SHA-256 from LTI_ENCRYPTION_KEY, derived once per secret
 * and use: not SESSION_SECRET, whose rotation must neither unlock every throttled e-mail nor make enrolled
 * authenticators and recovery codes useless.
 */
export function accountSubkey(encryptionKey: string, info: string): Buffer {
  const cacheKey = `${info}\u0000${encryptionKey}`;
  let key = subkeys.get(cacheKey);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', Buffer.from(encryptionKey, 'utf8'), salt, info, 32));
    if (subkeys.size > 16) subkeys.clear();
    subkeys.set(cacheKey, key);
  }
  return key;
}

/**
 * Sets the secret e-mail digests are keyed with and how long audit entries are kept. The sign-in router and the
 * CLI call it with the configuration they were given; without it (a script, a test) the config files are read.
 */
export function configureAccountKeys(next: AccountKeySettings): void {
  settings = { ltiEncryptionKey: next.ltiEncryptionKey, auditRetentionDays: next.auditRetentionDays };
}

function currentSettings(): AccountKeySettings {
  settings ??= loadConfig();
  return settings;
}

/** The HMAC key for e-mail digests (see accountSubkey). */
function currentDigestKey(): Buffer {
  return accountSubkey(currentSettings().ltiEncryptionKey, 'rounds e-mail digests v1');
}

/**
 * An HMAC-SHA-256 of a normalized e-mail under a server-held key: throttle records and audit entries keep it
 * instead of the address. Unlike a plain SHA-256, a copy of the database cannot be matched against a list of
 * addresses without the key.
 */
export function emailDigest(normalizedEmail: string): string {
  return createHmac('sha256', currentDigestKey()).update(normalizedEmail).digest('hex');
}

/** When an audit entry written at `at` may be deleted (config auditRetentionDays later). */
export function auditExpiry(at: Date): Date {
  return new Date(at.getTime() + currentSettings().auditRetentionDays * 86_400_000);
}
