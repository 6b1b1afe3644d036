import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** An AES-256-GCM ciphertext as stored: base64 parts. */
export interface SealedValue {
  iv: string;
  tag: string;
  ciphertext: string;
}

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
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(label, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

/** Decrypts a sealed value; throws when the key is wrong or the value or its label was altered. */
export function unseal(key: Buffer, sealed: SealedValue, label: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(label, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([
    decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
    decipher.final(),
  ]).toString('utf8');
}
