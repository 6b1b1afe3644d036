import type { AccountActor, AccountGrant, AccountRole } from '../shared/auth/actor';
import { ValidationError } from '../shared/errors';

/** Roles that must pass a second factor before their pages (issue 11): installation-wide or CME records. */
export const rolesNeedingTotp: readonly AccountRole[] = ['operator', 'cme-admin'];

/** Roles granted for one tenant, which must name it; the operator's role is installation-wide and must not. */
export const tenantScopedRoles: readonly AccountRole[] = ['tenant-admin', 'cme-admin'];

/** Whether an account holding these grants must have TOTP verified in its session before its pages. */
export function needsTotp(grants: readonly AccountGrant[]): boolean {
  return grants.some((grant) => rolesNeedingTotp.includes(grant.role));
}

/** Whether the account holds one of `roles` (any tenant). */
export function holdsRole(account: Pick<AccountActor, 'grants'>, roles: readonly AccountRole[]): boolean {
  return account.grants.some((grant) => roles.includes(grant.role));
}

/**
 * Where the account's session must go before a page for `roles`: nowhere (undefined) when its second factor is
 * not required or was checked; TOTP enrolment when it has none yet; the code challenge otherwise.
 */
export function secondFactorStep(account: AccountActor): '/account/totp' | '/signin/code' | undefined {
  if (!needsTotp(account.grants) || account.mfaVerified) return undefined;
  return account.totpEnabled ? '/signin/code' : '/account/totp';
}

/**
 * The one tenant an account administers, when it holds tenant-admin for exactly one tenant and its second
 * factor (if its roles need one) was checked: then the existing tenant-admin pages serve it as that tenant's
 * admin. Several tenants would make "their tenant" ambiguous on pages built for one, so none is chosen.
 */
export function administeredTenant(account: AccountActor): string | undefined {
  if (secondFactorStep(account)) return undefined;
  const tenants = new Set(
    account.grants.filter((grant) => grant.role === 'tenant-admin' && grant.tenantId).map((g) => g.tenantId!),
  );
  return tenants.size === 1 ? [...tenants][0] : undefined;
}

/** The minimum password length for these grants (NIST SP 800-63B: 15 with the password alone, 12 with TOTP). */
export function minimumPasswordLength(grants: readonly AccountGrant[]): number {
  return needsTotp(grants) ? 12 : 15;
}

/** Checks a grant's shape: tenant-scoped roles need a tenant, the operator must not have one. */
export function assertGrantShape(role: AccountRole, tenantId: string | undefined): void {
  if (tenantScopedRoles.includes(role) && !tenantId) {
    throw new ValidationError(`The ${role} role needs a tenant (--tenant TENANT_ID).`, {
      tenant: 'required',
    });
  }
  if (role === 'operator' && tenantId) {
    throw new ValidationError('The operator role is installation-wide: it takes no tenant.', {
      tenant: 'not allowed',
    });
  }
}
