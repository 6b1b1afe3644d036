import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** An AES-256-GCM ciphertext as stored: base64 parts, which any MongoDB (and the test stand-in) keeps as they are. */
export interface Sealed {
  iv: string;
  tag: string;
  ciphertext: string;
}

const ivBytes = 12;
const tagBytes = 16;

/**
 * Encrypts `plaintext` with AES-256-GCM under a 32-byte `key`, with a fresh 96-bit IV (NIST SP 800-38D §8.2.2).
 * `aad` says what the value belongs to: it is authenticated but not encrypted, so a sealed value moved onto
 * another record does not open.
 */
export function sealBytes(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

/**
 * Opens a value sealed by `sealBytes`; throws when the key or `aad` differs or the value was altered. Only a
 * 96-bit IV and a full 128-bit tag are accepted: GCM would otherwise check a tag cut short by whoever can write
 * to the database, and a 4-byte tag is forged in 2^32 tries (NIST SP 800-38D §5.2.1.2).
 */
export function openBytes(key: Buffer, sealed: Sealed, aad: string): Buffer {
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  if (iv.length !== ivBytes || tag.length !== tagBytes)
    throw new Error('sealed value has a malformed IV or tag');
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
}
