// The door to accounts/: Rounds accounts outside the LMS (issue 11): sign-in, second factor, roles, operator pages.
export { signinRouter } from './signin.routes';
export { accountRouter } from './account.routes';
export { operatorRouter } from './operator.routes';
export { requireAccount } from './requireAccount';
export { accountSessionFor } from './accounts.session';
export { administeredTenant, secondFactorStep } from './accounts.policy';
export { AccountModel } from './account.model';
export { passwordProblem, hashPassword, verifyPassword } from './password.service';
export { runUserCommand } from './accounts.cli';
export {
  createAccount,
  grantRole,
  normalizeEmail,
  startPasswordReset,
  sweepAccountRecords,
} from './accounts.service';
export { grantCohortMentor, revokeCohortMentor } from './mentorGrant.service';
export { setPasswordWithLink } from './signin.service';
export { anonymousCsrf } from './signin.csrf';
export { verifySecondFactor, resetTotp } from './totp.service';
