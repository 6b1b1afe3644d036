import {
  dataKeyAad,
  deriveKeyEncryptionKey,
  newDataKey,
  open,
  recordKey,
  resultAad,
  seal,
  tallyToken,
} from '../../../../src/wellbeing/results/vault.crypto';

const tenant = '64b000000000000000000001';
const nurse = '64b0000000000000000000aa';
const other = '64b0000000000000000000bb';

describe('the vault’s envelope encryption', () => {
  it('when a data key is sealed under the key from config, then only that config and that learner open it', () => {
    const dataKey = newDataKey();
    const kek = deriveKeyEncryptionKey('a-wellbeing-key-of-at-least-32-characters');
    const sealed = seal(kek, dataKey, dataKeyAad(tenant, nurse));
    expect(open(kek, sealed, dataKeyAad(tenant, nurse))).toEqual(dataKey);
    expect(() => open(kek, sealed, dataKeyAad(tenant, other))).toThrow();
    const otherKek = deriveKeyEncryptionKey('another-wellbeing-key-of-32-characters!');
    expect(() => open(otherKek, sealed, dataKeyAad(tenant, nurse))).toThrow();
  });

  it('when a result is sealed, then its text is not in the ciphertext and a changed byte or another record id refuses to open', () => {
    const key = recordKey(newDataKey());
    const plaintext = Buffer.from(JSON.stringify({ instrument: 'phq-2', total: 5, band: '3-or-more' }));
    const sealed = seal(key, plaintext, resultAad(tenant, nurse, 'record-1'));
    expect(Buffer.from(sealed.ciphertext, 'base64').toString('utf8')).not.toContain('phq-2');
    expect(open(key, sealed, resultAad(tenant, nurse, 'record-1'))).toEqual(plaintext);
    expect(() => open(key, sealed, resultAad(tenant, nurse, 'record-2'))).toThrow();
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[0] = bytes[0]! ^ 1;
    expect(() =>
      open(key, { ...sealed, ciphertext: bytes.toString('base64') }, resultAad(tenant, nurse, 'record-1')),
    ).toThrow();
  });

  it('when the same plaintext is sealed twice, then the IVs and ciphertexts differ', () => {
    const key = recordKey(newDataKey());
    const first = seal(key, Buffer.from('same'), 'aad');
    const second = seal(key, Buffer.from('same'), 'aad');
    expect(first.iv).not.toBe(second.iv);
    expect(first.ciphertext).not.toBe(second.ciphertext);
  });

  it('when tally tokens are computed, then they are stable per learner, instrument and month, and differ otherwise', () => {
    const nurseKey = newDataKey();
    const token = tallyToken(nurseKey, tenant, 'phq-2', '2025-03');
    expect(tallyToken(nurseKey, tenant, 'phq-2', '2025-03')).toBe(token);
    expect(tallyToken(nurseKey, tenant, 'phq-2', '2025-04')).not.toBe(token);
    expect(tallyToken(nurseKey, tenant, 'gad-2', '2025-03')).not.toBe(token);
    expect(tallyToken(newDataKey(), tenant, 'phq-2', '2025-03')).not.toBe(token);
  });
});
