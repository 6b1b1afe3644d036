// The door to lti/launch/: what the rest of Rounds may use. OIDC login, the launch check, completing a launch, the new-window handoff and refusals (LTI 1.3 §5.1).
export { handoffRouter } from './handoff.routes';
export { SessionHandoffModel } from './handoff.service';
export { launchRouter } from './launchCheck.routes';
export { loginRouter } from './login.routes';
export { LoginStateModel } from './loginState.model';
