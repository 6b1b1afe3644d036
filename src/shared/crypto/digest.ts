import { createHash } from 'node:crypto';

/**
 * The hex SHA-256 of a random token, code or secret: all the database keeps of session tokens, one-time links and
 * handoff codes, so a copy of the database cannot be used to sign in. For high-entropy values only (no salt).
 */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
