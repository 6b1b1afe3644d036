import {
  decodeBase32,
  encodeBase32,
  generateTotpSecret,
  groupSecret,
  hotp,
  matchTotpStep,
  otpauthUri,
  totpCodeAt,
  totpStepAt,
} from '../../../src/accounts/totp';

// RFC 6238 Appendix B and RFC 4226 Appendix D: the SHA-1 seed is the ASCII string "12345678901234567890".
const rfcKey = Buffer.from('12345678901234567890', 'ascii');
const rfcSecret = encodeBase32(rfcKey);

describe('TOTP codes (RFC 6238 over RFC 4226)', () => {
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('when the time is %i s (RFC 6238 Appendix B, SHA-1), then the 8-digit code is %s', (seconds, code) => {
    expect(totpCodeAt(rfcSecret, seconds * 1000, 8)).toBe(code);
  });

  it('when the time is 59 s, then the 6-digit code is the last six digits of the 8-digit one', () => {
    expect(totpCodeAt(rfcSecret, 59_000)).toBe('287082');
  });

  it.each([
    [0, '755224'],
    [1, '287082'],
    [2, '359152'],
    [3, '969429'],
    [4, '338314'],
    [5, '254676'],
    [6, '287922'],
    [7, '162583'],
    [8, '399871'],
    [9, '520489'],
  ])('when the counter is %i (RFC 4226 Appendix D), then the 6-digit HOTP is %s', (counter, code) => {
    expect(hotp(rfcKey, counter)).toBe(code);
  });

  it('when the time is 29.999 s or 30 s, then the steps are 0 and 1 (30-second steps from the Unix epoch)', () => {
    expect(totpStepAt(29_999)).toBe(0);
    expect(totpStepAt(30_000)).toBe(1);
  });
});

describe('base32 secrets', () => {
  it('when the RFC key is encoded, then it reads as RFC 4648 base32 and decodes back', () => {
    expect(rfcSecret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(decodeBase32(rfcSecret)).toEqual(rfcKey);
  });

  it('when a secret is typed in lower case with spaces, then it decodes to the same key', () => {
    expect(decodeBase32(groupSecret(rfcSecret).toLowerCase())).toEqual(rfcKey);
  });

  it('when a secret is generated, then it is 32 base32 characters (20 random bytes), different each time', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(decodeBase32(secret)).toHaveLength(20);
    expect(generateTotpSecret()).not.toBe(secret);
  });

  it('when a secret is shown for manual entry, then it is grouped in fours', () => {
    expect(groupSecret('ABCDEFGHIJ')).toBe('ABCD EFGH IJ');
  });
});

describe('checking a typed code', () => {
  const secret = generateTotpSecret();
  const now = Date.UTC(2026, 0, 15, 12, 0, 10);
  const step = totpStepAt(now);
  const codeAtStep = (n: number) => totpCodeAt(secret, n * 30_000);

  it('when the code is the current one, then its step is returned', () => {
    expect(matchTotpStep(secret, codeAtStep(step), now)).toBe(step);
  });

  it('when the code is one step old or one step ahead (clock drift), then it is accepted with its step', () => {
    expect(matchTotpStep(secret, codeAtStep(step - 1), now)).toBe(step - 1);
    expect(matchTotpStep(secret, codeAtStep(step + 1), now)).toBe(step + 1);
  });

  it('when the code is two steps away, then it is refused', () => {
    const old = codeAtStep(step - 2);
    // A collision with a neighbouring step's code would make this test meaningless; it is one in a million.
    if ([step - 1, step, step + 1].some((n) => codeAtStep(n) === old)) return;
    expect(matchTotpStep(secret, old, now)).toBeUndefined();
    expect(matchTotpStep(secret, codeAtStep(step + 2), now)).toBeUndefined();
  });

  it('when the code was already used in its step (replay), then it is refused', () => {
    expect(matchTotpStep(secret, codeAtStep(step), now, step)).toBeUndefined();
  });

  it('when an older step was used, then the current code is still accepted but not the previous step’s', () => {
    expect(matchTotpStep(secret, codeAtStep(step), now, step - 1)).toBe(step);
    expect(matchTotpStep(secret, codeAtStep(step - 1), now, step - 1)).toBeUndefined();
  });

  it('when the code has spaces, then they are ignored; when it is not six digits, then it is refused', () => {
    const code = codeAtStep(step);
    expect(matchTotpStep(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now)).toBe(step);
    expect(matchTotpStep(secret, code.slice(0, 5), now)).toBeUndefined();
    expect(matchTotpStep(secret, `${code}0`, now)).toBeUndefined();
    expect(matchTotpStep(secret, 'abcdef', now)).toBeUndefined();
  });

  it('when the code belongs to another secret, then it is refused', () => {
    const other = generateTotpSecret();
    const code = totpCodeAt(other, now);
    if ([step - 1, step, step + 1].some((n) => codeAtStep(n) === code)) return;
    expect(matchTotpStep(secret, code, now)).toBeUndefined();
  });
});

describe('otpauth URI', () => {
  it('when built, then it names the issuer Rounds and the account e-mail, and carries the secret and parameters', () => {
    const uri = new URL(otpauthUri('JBSWY3DPEHPK3PXP', 'ana+cme@example.org'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Rounds:ana+cme@example.org');
    expect(uri.searchParams.get('secret')).toBe('JBSWY3DPEHPK3PXP');
    expect(uri.searchParams.get('issuer')).toBe('Rounds');
    expect(uri.searchParams.get('algorithm')).toBe('SHA1');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
  });
});
