import type { Config } from '../config';
import type { AccountRole } from '../shared/auth/actor';
import { NotFoundError, ValidationError } from '../shared/errors';
import { accountRoles } from './account.model';
import { configureAccountKeys } from './accounts.keys';
import {
  accountIdByEmail,
  createAccount,
  grantRole,
  listAccounts,
  revokeRole,
  setPasswordUrl,
  startPasswordReset,
  unlockSignIn,
  type AccountSummary,
} from './accounts.service';
import { resetTotp } from './totp.service';

/** What a command prints: lines for stdout, or a refusal for stderr (exit 1). */
export type UserCommandResult = { lines: string[] } | { refusal: string };

/** The options `user …` commands read (src/cli.ts parses them). */
export interface UserOptions {
  email?: string;
  role?: string;
  tenant?: string;
  name?: string;
}

function requiredEmail(options: UserOptions): string {
  if (!options.email?.trim()) throw new ValidationError('--email is required');
  return options.email;
}

function requiredRole(options: UserOptions): AccountRole {
  const role = options.role as AccountRole | undefined;
  if (!role) throw new ValidationError('--role is required');
  if (!accountRoles.includes(role))
    throw new ValidationError(`--role must be one of ${accountRoles.join(', ')}`);
  return role;
}

/**
 * `npx rounds user …` (issue 11), for the first operator and the locked-out. Wrong options (a missing tenant, an
 * unknown role) throw ValidationError, which src/cli.ts shows as a usage error (exit 2); an unknown e-mail prints
 * its message and exits 1. src/cli.ts prints the result. Links are printed, never logged: the operator hands them over.
 */
export async function runUserCommand(
  command: string,
  options: UserOptions,
  config: Config,
): Promise<UserCommandResult> {
  configureAccountKeys(config);
  const linkLines = (intro: string, token: string) => ({
    lines: [
      `${intro} Send this one-time link to its owner (valid ${config.accountLinkDays} days):`,
      setPasswordUrl(config.publicUrl, token),
    ],
  });
  try {
    switch (command) {
      case 'user create': {
        const email = requiredEmail(options);
        const { token } = await createAccount(
          { email, role: requiredRole(options), tenantId: options.tenant, name: options.name },
          { linkDays: config.accountLinkDays, grantedBy: 'cli' },
        );
        return linkLines('Account created.', token);
      }
      case 'user grant':
      case 'user revoke': {
        const grant = command === 'user grant';
        const change = grant ? grantRole : revokeRole;
        const done = await change(requiredEmail(options), requiredRole(options), options.tenant, 'cli');
        return {
          lines: [
            done
              ? `Role ${grant ? 'granted' : 'revoked'}.`
              : `Nothing changed: the account ${grant ? 'already holds' : 'does not hold'} that role.`,
          ],
        };
      }
      case 'user reset-password': {
        const token = await startPasswordReset(requiredEmail(options), config.accountLinkDays);
        return linkLines("The account's sessions are ended.", token);
      }
      case 'user unlock': {
        const unlocked = await unlockSignIn(requiredEmail(options), 'cli');
        return {
          lines: [
            unlocked
              ? 'Sign-in unlocked: the failures counted against this e-mail are forgotten.'
              : 'Nothing to unlock: no failures are counted against this e-mail.',
          ],
        };
      }
      case 'user reset-totp': {
        const accountId = await accountIdByEmail(requiredEmail(options));
        const reset = await resetTotp(accountId, { by: 'cli' });
        return {
          lines: [
            reset
              ? "Two-step sign-in is off and the recovery codes are gone; the account's sessions are ended. It enrols again at its next sign-in if its roles need it."
              : 'Nothing changed: two-step sign-in was not on for this account.',
          ],
        };
      }
      case 'user list': {
        const accounts = await listAccounts();
        if (accounts.length === 0)
          return { lines: ['No accounts yet: `npx rounds user create` makes the first.'] };
        return { lines: accounts.map(describeAccount) };
      }
      default:
        throw new ValidationError(`Unknown command: ${command}`);
    }
  } catch (error) {
    if (error instanceof NotFoundError) return { refusal: error.message };
    throw error;
  }
}

/** One line of `user list`: e-mail, name, roles (with tenants), TOTP, password set, last sign-in. */
function describeAccount(account: AccountSummary): string {
  const roles = account.grants.map((grant) =>
    grant.tenantId ? `${grant.role}@${grant.tenantId}` : grant.role,
  );
  return [
    account.email,
    account.name ? `"${account.name}"` : '-',
    `roles=${roles.join(',') || '(none)'}`,
    `totp=${account.totpEnabled ? 'on' : 'off'}`,
    `password=${account.passwordSet ? 'set' : 'not set'}`,
    `last-sign-in=${account.lastSignInAt?.toISOString() ?? 'never'}`,
  ].join('  ');
}
