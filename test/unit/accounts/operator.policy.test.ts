import { assertOperator, holdsOperatorGrant } from '../../../src/accounts/operator.policy';
import type { AccountActor, AccountGrant } from '../../../src/shared/auth/actor';
import { ForbiddenError } from '../../../src/shared/errors';

const tenantId = '65a000000000000000000001';

function account(grants: AccountGrant[], totp = { totpEnabled: true, mfaVerified: true }): AccountActor {
  return { accountId: '65a0000000000000000000aa', email: 'op@example.org', name: 'Op', grants, ...totp };
}

describe('assertOperator', () => {
  it('when an operator has checked their second factor in this session, then they pass', () => {
    expect(() => assertOperator(account([{ role: 'operator' }]))).not.toThrow();
    expect(holdsOperatorGrant(account([{ role: 'operator' }]))).toBe(true);
  });

  it('when there is no account at all (an LTI session, or nobody), then it is forbidden', () => {
    expect(() => assertOperator(undefined)).toThrow(ForbiddenError);
    expect(holdsOperatorGrant(undefined)).toBe(false);
  });

  it('when the account holds only tenant roles, or none, then it is forbidden', () => {
    for (const grants of [
      [],
      [{ role: 'tenant-admin', tenantId }],
      [{ role: 'cme-admin', tenantId }],
      [{ role: 'mentor', tenantId, cohortId: 'c1' }],
    ] as AccountGrant[][]) {
      expect(() => assertOperator(account(grants))).toThrow(ForbiddenError);
    }
  });

  it('when an operator grant names a tenant (malformed), then it counts for nothing', () => {
    const malformed = account([{ role: 'operator', tenantId }]);
    expect(holdsOperatorGrant(malformed)).toBe(false);
    expect(() => assertOperator(malformed)).toThrow(ForbiddenError);
  });

  it('when the operator has not enrolled or not checked TOTP in this session, then it is forbidden', () => {
    for (const totp of [
      { totpEnabled: false, mfaVerified: false },
      { totpEnabled: true, mfaVerified: false },
      { totpEnabled: false, mfaVerified: true },
    ]) {
      expect(() => assertOperator(account([{ role: 'operator' }], totp))).toThrow(ForbiddenError);
    }
  });
});
