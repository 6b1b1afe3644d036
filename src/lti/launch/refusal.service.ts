import type { NextFunction, Request, RequestHandler } from 'express';
import type { Config } from '../../config';
import { countAuditEvent } from '../../shared/audit/audit.service';
import { AppError } from '../../shared/errors';
import {
  clientAddress,
  createRateLimiter,
  sendTooManyRequests,
  type RateLimiter,
} from '../../shared/http/rateLimit';

/**
 * Why Rounds refused a login or launch, and what the LMS administrator should check. The page shows the hint and
 * the reason code, never anything from the token. Login requests that are malformed or name an unknown LMS are
 * 400; a launch that fails verification is 401.
 */
const reasons = {
  login_missing_parameters: [400, 'the login request lacked iss, login_hint or target_link_uri.'],
  login_missing_client_id: [
    400,
    'the login request lacked client_id and several Rounds registrations share that issuer.',
  ],
  login_unknown_platform: [400, 'this LMS (issuer and client ID) is not registered with Rounds.'],
  login_platform_inactive: [
    401,
    'this LMS is registered with Rounds but not activated yet: the Rounds operator must activate it.',
  ],
  login_unknown_deployment: [
    400,
    'this deployment of Rounds is not registered; give the Rounds administrator the deployment ID.',
  ],
  login_foreign_target: [400, "the tool's launch URL does not point to Rounds' own address."],
  launch_malformed: [401, 'the launch message is not a signed LTI 1.3 token.'],
  launch_unknown_platform: [401, 'this LMS (issuer and client ID) is not registered with Rounds.'],
  launch_platform_inactive: [
    401,
    'this LMS is registered with Rounds but not activated yet: the Rounds operator must activate it.',
  ],
  launch_bad_algorithm: [401, 'the launch was not signed with RS256.'],
  launch_unknown_key: [401, "the launch was signed with a key that is not in the LMS's public keyset."],
  launch_keyset_unavailable: [401, "Rounds could not fetch the LMS's public keyset."],
  launch_bad_signature: [401, 'the signature of the launch does not match.'],
  launch_expired: [401, 'the launch message had expired; check the LMS server clock.'],
  launch_too_old: [401, 'the launch message was too old; check the LMS server clock.'],
  launch_issued_in_future: [401, "the launch message was dated in the future; check the LMS server's clock."],
  launch_untrusted_audience: [401, 'the launch message was addressed to other clients as well.'],
  launch_azp_mismatch: [401, "the launch message's authorized party is not Rounds' client ID."],
  launch_missing_claim: [401, 'the launch message lacks a required LTI claim.'],
  launch_missing_deployment: [401, 'the launch message names no deployment.'],
  launch_unknown_deployment: [
    401,
    'this deployment of Rounds is not registered; give the Rounds administrator the deployment ID.',
  ],
  launch_foreign_target: [401, "the launch's target link does not point to Rounds' own address."],
  launch_unknown_state: [
    401,
    'the launch did not answer a login Rounds started, or was used already (it works once).',
  ],
  launch_state_mismatch: [401, 'the launch answered a login started for another LMS.'],
  launch_nonce_mismatch: [401, 'the launch message does not carry the nonce Rounds issued for this login.'],
  launch_missing_state_cookie: [
    401,
    "the browser did not keep Rounds' login cookie; opening Rounds in a new window usually works.",
  ],
  launch_storage_mismatch: [401, "the browser's LMS storage did not hold this login's secret."],
} as const satisfies Record<string, readonly [400 | 401, string]>;

export type RefusalReason = keyof typeof reasons;

/** A platform registered but not activated: no launch from it works until its setup is finished. */
const inactivePlatform = new Set<RefusalReason>(['login_platform_inactive', 'launch_platform_inactive']);

/** A refused LTI request; the error handler renders it as a plain page (or JSON) with its status. */
export class LtiRefusal extends AppError {
  constructor(
    readonly reason: RefusalReason,
    readonly platform: { issuer?: string; clientId?: string } = {},
  ) {
    const [status, hint] = reasons[reason];
    super(refusalMessage(reason, hint), status, reason, true);
    if (inactivePlatform.has(reason)) this.pageTitle = 'Rounds is not set up for your LMS yet';
  }
}

/**
 * What the person who was refused reads. Opening Rounds again helps after an expired or replayed launch, never
 * while the platform waits for activation: then only their LMS administrator can help (Moodle 4.5 showed this).
 */
function refusalMessage(reason: RefusalReason, hint: string): string {
  const reference = `(reference: ${reason})`;
  if (inactivePlatform.has(reason)) {
    return (
      'Your LMS administrator must finish setting Rounds up before anyone can open it from your course, so ' +
      'opening it again will not help. Please tell your LMS administrator that Rounds refused this launch ' +
      `because ${hint} ${reference}`
    );
  }
  const opening =
    reason === 'login_unknown_deployment' || reason === 'launch_unknown_deployment'
      ? 'This deployment of Rounds is not registered.'
      : reason.startsWith('login_')
        ? 'Rounds could not start this launch.'
        : 'This launch could not be verified.';
  return (
    `${opening} Please go back to your course and open Rounds again. If it happens again, tell your LMS ` +
    `administrator that Rounds refused it because ${hint} ${reference}`
  );
}

/**
 * Refusals whose issuer and client ID are only what the request claimed (no registered platform matched). Their
 * audit count and limit key leave the claimed values out: otherwise each made-up issuer would add a document.
 */
const unregisteredIdentity = new Set<RefusalReason>([
  'login_missing_parameters',
  'login_unknown_platform',
  'launch_malformed',
  'launch_unknown_platform',
]);

/** What `refuse()` needs from the configuration: set on res.locals by `refusalPolicy()`. */
interface RefusalPolicy {
  limiter: RateLimiter;
  auditRetentionDays: number;
}
const refusalPolicyKey = 'ltiRefusalPolicy';

/**
 * Mounted ahead of every LTI route that refuses (login, launch): one client address may cause at most
 * `loginRateLimitPerMinute` refusals a minute for each registered LMS (and as many for all unregistered ones
 * together); past that it gets 429 and nothing is written.
 */
export function refusalPolicy(config: Config): RequestHandler {
  const policy: RefusalPolicy = {
    limiter: createRateLimiter({ limit: config.loginRateLimitPerMinute, windowMs: 60_000 }),
    auditRetentionDays: config.auditRetentionDays,
  };
  return (_req, res, next) => {
    res.locals[refusalPolicyKey] = policy;
    next();
  };
}

/**
 * Logs the refusal (one warn line with the reason), adds one to its hour's audit count, and hands it to the error
 * handler. Nothing else is written: no user, tenant, session or per-request record. A client past its refusal
 * limit gets 429 instead, and not even the count is written.
 */
export async function refuse(req: Request, next: NextFunction, refusal: LtiRefusal): Promise<void> {
  const res = req.res!;
  const policy = res.locals[refusalPolicyKey] as RefusalPolicy | undefined;
  // A route that refuses without the policy mounted is a wiring bug: fail closed, loudly.
  if (!policy) return next(new Error('refuse() ran without refusalPolicy() mounted on its route'));
  const audited = unregisteredIdentity.has(refusal.reason) ? {} : refusal.platform;
  const verdict = policy.limiter.hit(`${clientAddress(req)} ${audited.issuer ?? ''}`);
  const logged = {
    reason: refusal.reason,
    issuer: refusal.platform.issuer,
    clientId: refusal.platform.clientId,
  };
  if (!verdict.allowed) {
    req.log?.warn({ ...logged, client: clientAddress(req) }, 'LTI refusals rate-limited');
    return sendTooManyRequests(req, res, verdict.retryAfterSeconds);
  }
  req.log?.warn(logged, 'LTI request refused');
  await countAuditEvent(
    {
      type: refusal.reason.startsWith('login_') ? 'lti.login_refused' : 'lti.launch_refused',
      reason: refusal.reason,
      issuer: audited.issuer,
      clientId: audited.clientId,
    },
    policy.auditRetentionDays,
  ).catch((error: unknown) => req.log?.error({ err: error }, 'could not count a refused LTI request'));
  next(refusal);
}
