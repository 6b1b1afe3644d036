import { newCertificateNumber, readCertificateNumber } from '../../../../src/cme/core';

describe('certificate numbers', () => {
  it('when a number is made, then it reads back as itself, typed in any case, with or without dashes', () => {
    const number = newCertificateNumber();
    expect(number).toMatch(/^RND(-[0-9A-HJKMNP-TV-Z]{4}){4}-[0-9A-HJKMNP-TV-Z*~$=U]$/);
    expect(readCertificateNumber(number)).toEqual({ ok: true, number });
    expect(readCertificateNumber(number.toLowerCase().replace(/-/g, ' '))).toEqual({ ok: true, number });
  });

  it('when one character is mistyped or two neighbours are swapped, then it is a typo, not an unknown number', () => {
    for (let trial = 0; trial < 200; trial += 1) {
      const number = newCertificateNumber();
      const compact = number.replace(/^RND-/, '').replace(/-/g, '');
      // Two different neighbours swapped (equal ones would give the same number back).
      const at = [...Array(15).keys()].find((index) => compact[index] !== compact[index + 1])!;
      const swapped = compact.slice(0, at) + compact[at + 1] + compact[at] + compact.slice(at + 2);
      expect(readCertificateNumber(swapped)).toEqual({ ok: false, reason: 'checksum' });
      const typoAt = trial % 16;
      const other = compact[typoAt] === '7' ? '8' : '7';
      const mistyped = compact.slice(0, typoAt) + other + compact.slice(typoAt + 1);
      expect(readCertificateNumber(mistyped)).toEqual({ ok: false, reason: 'checksum' });
    }
  });

  it('when the number is too short or has characters no number has, then it is malformed', () => {
    expect(readCertificateNumber('RND-1234')).toEqual({ ok: false, reason: 'malformed' });
    expect(readCertificateNumber('RND-UUUU-UUUU-UUUU-UUUU-0')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('when numbers are made many times, then they do not repeat (80 random bits)', () => {
    const made = new Set(Array.from({ length: 5000 }, () => newCertificateNumber()));
    expect(made.size).toBe(5000);
  });
});
