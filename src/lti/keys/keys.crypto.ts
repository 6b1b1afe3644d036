import { hkdfSync } from 'node:crypto';
import { openBytes, sealBytes, type Sealed } from '../../shared/crypto/aesGcm';

/** An AES-256-GCM ciphertext as stored: base64 parts. */
export type SealedValue = Sealed;

// Fixed salt and info: the key must derive the same every boot; `info` separates it from other uses of the secret.
const salt = Buffer.from('rounds/lti');
const info = Buffer.from('rounds tool signing keys v1');

/** The 256-bit key that seals the tool's private keys, derived from LTI_ENCRYPTION_KEY with HKDF-SHA-256. */
export function deriveSealingKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), salt, info, 32));
}

/**
 * Encrypts `plaintext` with AES-256-GCM. `label` (the key's kid) is authenticated but not encrypted, so a sealed
 * value moved onto another key record does not open.
 */
export function seal(key: Buffer, plaintext: string, label: string): SealedValue {
  return sealBytes(key, Buffer.from(plaintext, 'utf8'), label);
}

/** Decrypts a sealed value; throws when the key is wrong or the value or its label was altered. */
export function unseal(key: Buffer, sealed: SealedValue, label: string): string {
  return openBytes(key, sealed, label).toString('utf8');
}
