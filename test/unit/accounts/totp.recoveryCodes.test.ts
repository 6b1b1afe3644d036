import { createHash } from 'node:crypto';
import {
  generateRecoveryCodes,
  hashRecoveryCode,
  matchingHashIndex,
  normalizeRecoveryCode,
  recoveryCodeKey,
} from '../../../src/accounts/recoveryCodes';

const key = recoveryCodeKey('a-test-lti-encryption-key-of-some-length-0123456789');
const accountId = '65f000000000000000000001';

describe('recovery code hashes', () => {
  it('when a code is hashed, then it is not the plain SHA-256 of the code and reads the same however it was typed', () => {
    const [code] = generateRecoveryCodes();
    const normalized = normalizeRecoveryCode(code!)!;
    const hash = hashRecoveryCode(key, accountId, code!)!;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toBe(createHash('sha256').update(normalized).digest('hex'));
    expect(hashRecoveryCode(key, accountId, code!.toUpperCase().replace('-', ' '))).toBe(hash);
  });

  it('when the account or the server key differs, then the same code hashes differently', () => {
    const [code] = generateRecoveryCodes();
    const hash = hashRecoveryCode(key, accountId, code!);
    expect(hashRecoveryCode(key, '65f000000000000000000002', code!)).not.toBe(hash);
    expect(
      hashRecoveryCode(recoveryCodeKey('another-key-of-32-characters-at-least!'), accountId, code!),
    ).not.toBe(hash);
  });

  it('when the text cannot be a recovery code, then there is no hash', () => {
    expect(hashRecoveryCode(key, accountId, '123456')).toBeUndefined();
  });

  it('when a hash is among the stored ones, then its index is found; otherwise -1', () => {
    const stored = generateRecoveryCodes().map((code) => hashRecoveryCode(key, accountId, code)!);
    expect(matchingHashIndex(stored, stored[7]!)).toBe(7);
    expect(matchingHashIndex(stored, hashRecoveryCode(key, accountId, 'aaaaa-aaaaa')!)).toBe(-1);
    expect(matchingHashIndex(['not hex', ''], stored[0]!)).toBe(-1);
  });
});
