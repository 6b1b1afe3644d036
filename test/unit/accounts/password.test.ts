import argon2 from 'argon2';
import {
  argon2Options,
  hashPassword,
  isCommonPassword,
  passwordProblem,
  verifyPassword,
} from '../../../src/accounts/password.service';

// The password policy (NIST SP 800-63B, issue 11): a length floor by factor count, a blocklist, no composition rules.

const mentor = {
  email: 'grace.hopper@example.org',
  name: 'Grace Hopper',
  grants: [{ role: 'mentor' as const }],
};
const operator = { ...mentor, grants: [{ role: 'operator' as const }] };

describe('passwordProblem', () => {
  it('when the account uses the password alone, then it needs 15 characters; with TOTP roles, 12', () => {
    expect(passwordProblem('fourteen chars', mentor)).toBe('Use at least 15 characters.');
    expect(passwordProblem('fifteen chars!!', mentor)).toBeUndefined();
    expect(passwordProblem('eleven char', operator)).toBe('Use at least 12 characters.');
    expect(passwordProblem('twelve chars', operator)).toBeUndefined();
  });

  it('when the password has no digits, capitals or symbols, then that is fine (no composition rules)', () => {
    expect(passwordProblem('lowercase words only here', mentor)).toBeUndefined();
  });

  it('when the password is longer than 256 characters, then it is refused; 256 is accepted', () => {
    expect(passwordProblem('x'.repeat(255) + 'y', mentor)).toBeUndefined();
    expect(passwordProblem('x'.repeat(256) + 'y', mentor)).toBe('Use at most 256 characters.');
  });

  it.each([
    'passwordpassword',
    'PasswordPassword',
    '123456789012',
    'qwertyuiopasdf',
    'iloveyouforever',
    'september2024!',
    'correcthorsebatterystaple',
    '1qaz2wsx3edc4rfv',
  ])('when the password is the common %s, then it is refused whatever its case', (password) => {
    expect(isCommonPassword(password)).toBe(true);
    expect(passwordProblem(password, operator)).toBe('This password is too common. Choose another one.');
  });

  it('when the password is one character repeated, the e-mail or the name, then it is refused', () => {
    expect(passwordProblem('zzzzzzzzzzzzzzzz', mentor)).toBe('Do not repeat a single character.');
    expect(passwordProblem('Grace.Hopper@example.org', mentor)).toBe(
      'Do not use your e-mail address or your name.',
    );
    expect(passwordProblem('Grace Hopper', { ...operator, name: 'Grace  Hopper' })).toBe(
      'Do not use your e-mail address or your name.',
    );
  });

  it('when the list is read, then it holds thousands of entries, among them the well-known top ones', () => {
    for (const password of ['123456', 'password', 'qwerty', 'letmein', 'iloveyou', 'dragon', 'monkey']) {
      expect(isCommonPassword(password)).toBe(true);
    }
    expect(isCommonPassword('a river in late october')).toBe(false);
  });
});

describe('hashing', () => {
  it('when a password is hashed, then it is argon2id at OWASP cost and verifies only with the same password', async () => {
    const hash = await hashPassword('a river in late october');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(argon2Options).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(await verifyPassword(hash, 'a river in late october')).toBe(true);
    expect(await verifyPassword(hash, 'a river in late November')).toBe(false);
    expect(await argon2.needsRehash(hash, argon2Options)).toBe(false);
  });

  it('when there is no stored hash, then verification fails (after the same work as a wrong password)', async () => {
    expect(await verifyPassword(undefined, 'anything at all here')).toBe(false);
    expect(await verifyPassword('', 'anything at all here')).toBe(false);
  });
});
