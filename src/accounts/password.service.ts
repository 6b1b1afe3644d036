import { readFileSync } from 'node:fs';
import path from 'node:path';
import argon2 from 'argon2';
import { projectRoot } from '../config';
import type { AccountGrant } from '../shared/auth/actor';
import { minimumPasswordLength } from './accounts.policy';

/**
 * argon2id at OWASP's first recommended cost (Password Storage Cheat Sheet: m=19 MiB, t=2, p=1). `npm run
 * bench:signin` reports the sign-in throughput it gives.
 */
export const argon2Options = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** The longest password accepted: NIST SP 800-63B asks for at least 64; more only feeds the hash's input. */
export const maximumPasswordLength = 256;

let commonPasswords: Set<string> | undefined;

/**
 * The shipped list of common passwords (content/passwords/common-passwords.txt, lowercase, one a line), read
 * once. Read from the project's root, not beside the compiled file: the build does not copy data files, and the
 * production image ships content/ as it is (Dockerfile).
 */
function commonPasswordList(): Set<string> {
  commonPasswords ??= new Set(
    readFileSync(path.join(projectRoot, 'content', 'passwords', 'common-passwords.txt'), 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter(Boolean),
  );
  return commonPasswords;
}

/** Whether the password is on the shipped common-passwords list (case-insensitive). */
export function isCommonPassword(password: string): boolean {
  return commonPasswordList().has(password.trim().toLowerCase());
}

/**
 * Why a password is refused, or undefined when it is acceptable (NIST SP 800-63B §3.1.1.2: a length floor, a
 * blocklist, no composition rules): at least 12 characters for accounts whose roles need TOTP, 15 otherwise;
 * at most 256; not on the common list; not the account's e-mail or name; not one character repeated.
 */
export function passwordProblem(
  password: string,
  account: { email: string; name?: string; grants: readonly AccountGrant[] },
): string | undefined {
  const minimum = minimumPasswordLength(account.grants);
  const length = [...password].length;
  if (length < minimum) return `Use at least ${minimum} characters.`;
  if (length > maximumPasswordLength) return `Use at most ${maximumPasswordLength} characters.`;
  const lower = password.trim().toLowerCase();
  if (new Set(lower).size === 1) return 'Do not repeat a single character.';
  if (isCommonPassword(lower)) return 'This password is too common. Choose another one.';
  const email = account.email.toLowerCase();
  const name = (account.name ?? '').trim().toLowerCase();
  if (
    lower === email ||
    lower === email.split('@')[0] ||
    (name && lower.replace(/\s+/g, '') === name.replace(/\s+/g, ''))
  ) {
    return 'Do not use your e-mail address or your name.';
  }
  return undefined;
}

/** The argon2id hash to store for a password. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, argon2Options);
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. Without one (an unknown e-mail, a password never set) it checks
 * against a dummy hash of the same cost, so the answer takes as long as a wrong password does and timing says
 * nothing about which accounts exist.
 */
export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= argon2.hash('rounds-dummy-password-for-timing', argon2Options);
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await argon2.verify(storedHash, password);
  } catch {
    return false;
  }
}
