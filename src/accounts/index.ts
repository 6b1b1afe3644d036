// The door to accounts/: Rounds accounts outside the LMS (issue 11): sign-in, second factor, roles, operator pages.

// Helper A: sign-in, sessions of accounts, roles, passwords, the CLI's user commands.
export { signinRouter } from './signin.routes';
export { requireAccount } from './requireAccount';
export { accountSessionFor, type AccountSession } from './accounts.session';
export { rolesNeedingTotp, needsTotp, holdsRole, administeredTenant } from './accounts.policy';
export { AccountModel, accountRoles } from './account.model';
export { passwordProblem, hashPassword, verifyPassword } from './password.service';
export { runUserCommand } from './accounts.cli';
export {
  createAccount,
  grantRole,
  revokeRole,
  startPasswordReset,
  listAccounts,
  endAllSessions,
  setPasswordUrl,
  sweepAccountRecords,
  type AccountSummary,
} from './accounts.service';

// Helper B: the account page, TOTP enrolment, recovery codes, and the second-factor check /signin/code uses.
export { accountRouter } from './account.routes';
export {
  verifySecondFactor,
  resetTotp,
  type SecondFactorContext,
  type SecondFactorMethod,
} from './totp.service';

// Helper C: the operator's pages (/admin/platforms for operators, /operator/*).
export { operatorRouter } from './operator.routes';
