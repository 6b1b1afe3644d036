import { createHmac, hkdfSync } from 'node:crypto';
import { loadConfig, type Config } from '../config';

/** What the accounts' records need from the configuration at write time. */
export type AccountKeySettings = Pick<Config, 'ltiEncryptionKey' | 'auditRetentionDays'>;

// Fixed salt and info: the key must derive the same every boot; `info` keeps it apart from the other keys that
// come from LTI_ENCRYPTION_KEY (tool keys, TOTP secrets, recovery codes).
const salt = Buffer.from('rounds/accounts');
const info = Buffer.from('rounds e-mail digests v1');

let settings: AccountKeySettings | undefined;
let digestKey: { secret: string; key: Buffer } | undefined;

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

/**
 * The HMAC key for e-mail digests, derived with HKDF from LTI_ENCRYPTION_KEY — not from SESSION_SECRET, so a
 * session-secret rotation neither unlocks every throttled e-mail nor cuts the audit trail in two.
 */
function currentDigestKey(): Buffer {
  const { ltiEncryptionKey } = currentSettings();
  if (digestKey?.secret !== ltiEncryptionKey) {
    const key = Buffer.from(hkdfSync('sha256', Buffer.from(ltiEncryptionKey, 'utf8'), salt, info, 32));
    digestKey = { secret: ltiEncryptionKey, key };
  }
  return digestKey.key;
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
