import { randomBytes } from 'node:crypto';
import { openBytes, sealBytes } from '../../../src/shared/crypto/aesGcm';

const key = randomBytes(32);
const plaintext = Buffer.from('{"answers":{"phq2-1":3}}');

describe('AES-256-GCM seals (tool keys, self-check results)', () => {
  it('when a sealed value is opened with its key and label, then the plaintext comes back', () => {
    expect(openBytes(key, sealBytes(key, plaintext, 'label'), 'label')).toEqual(plaintext);
  });

  it('when the label (what the value belongs to) differs, then it does not open', () => {
    expect(() => openBytes(key, sealBytes(key, plaintext, 'learner-a'), 'learner-b')).toThrow();
  });

  it('when the tag was cut short by someone writing to the database, then it does not open', () => {
    const sealed = sealBytes(key, plaintext, 'label');
    const short = { ...sealed, tag: Buffer.from(sealed.tag, 'base64').subarray(0, 4).toString('base64') };
    expect(() => openBytes(key, short, 'label')).toThrow('malformed IV or tag');
  });

  it('when the IV has another length, then it does not open', () => {
    const sealed = sealBytes(key, plaintext, 'label');
    expect(() => openBytes(key, { ...sealed, iv: randomBytes(16).toString('base64') }, 'label')).toThrow();
  });

  it('when the same value is sealed twice, then the IVs differ', () => {
    expect(sealBytes(key, plaintext, 'label').iv).not.toBe(sealBytes(key, plaintext, 'label').iv);
  });
});
