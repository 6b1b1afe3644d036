import { OutboundError } from '../../shared/http/outbound';

/** A failure worth trying again later: the network, a 5xx, a 429. `retryAfterMs` is the server's Retry-After. */
export class OutboxRetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'OutboxRetryableError';
  }
}

/** A failure that repeating will not fix (a 4xx, a missing service): the job is parked with this reason. */
export class OutboxParkError extends Error {
  constructor(
    message: string,
    /** The LMS's HTTP status, when the reason is its answer. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'OutboxParkError';
  }
}

/**
 * What Rounds tells an admin about an LMS status. Rounds' own words, never the LMS's body: a token, JWKS or
 * service URL can point anywhere, and showing what answered would let an admin read a private service through it.
 */
function statusReason(status: number): string {
  if (status === 400)
    return 'the LMS found the request invalid (for a score, often a learner no longer enrolled)';
  if (status === 401)
    return 'the LMS did not accept Rounds’ credentials; check the tool’s client ID in the LMS';
  if (status === 403) return 'the LMS does not allow Rounds to do this; check the tool’s services in the LMS';
  if (status === 404 || status === 410) return 'the LMS does not know this address';
  if (status === 405 || status === 501) return 'the LMS does not offer this';
  if (status === 406 || status === 415) return 'the LMS did not accept the format Rounds sends';
  if (status === 409) return 'the LMS reported a conflict with what it holds';
  if (status === 413) return 'the LMS found the request too large';
  if (status === 422) return 'the LMS could not process the request';
  if (status === 429) return 'the LMS asked Rounds to slow down; Rounds will wait and try again';
  if (status >= 500) return 'the LMS had an error of its own; Rounds will try again';
  if (status >= 400) return 'the LMS refused the request';
  return 'an answer Rounds does not expect from this service';
}

/**
 * RFC 6749 §5.2's error codes, explained in Rounds' words. Only these fixed codes are recognised, so nothing
 * else the token endpoint writes reaches the page.
 */
const oauthErrors: Record<string, string> = {
  invalid_request: 'the LMS found the token request malformed',
  invalid_client: 'the LMS does not recognise Rounds’ client ID or signature; check the tool’s registration',
  invalid_grant:
    'the LMS refused Rounds’ signed assertion (check the clocks and the tool’s public keyset URL)',
  unauthorized_client: 'the LMS does not let this tool use the client credentials grant',
  unsupported_grant_type: 'the LMS does not support the client credentials grant',
  invalid_scope: 'the LMS did not grant the services Rounds asked for; check the tool’s services in the LMS',
};

function oauthReason(response: { text?: () => string }): string | undefined {
  try {
    const code = (JSON.parse(response.text?.() ?? '') as { error?: unknown }).error;
    return typeof code === 'string' && Object.hasOwn(oauthErrors, code) ? oauthErrors[code] : undefined;
  } catch {
    return undefined;
  }
}

/** Retry-After (RFC 9110 §10.2.3) in milliseconds from `now`: delay-seconds or an HTTP-date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The error for an LMS answer that was not a success: 429 and 5xx are retried (honouring Retry-After), any
 * other status parks the job. The reason names the status and says in Rounds' words what it means; `what` names
 * the call ("posting the score").
 */
export function failureFromResponse(
  response: { status: number; headers: { get(name: string): string | null }; text?: () => string },
  what: string,
): Error {
  const reason =
    ([400, 401].includes(response.status) && oauthReason(response)) || statusReason(response.status);
  const message = `The LMS answered ${response.status} when ${what}: ${reason}`;
  if (response.status === 429 || response.status >= 500) {
    return new OutboxRetryableError(message, parseRetryAfter(response.headers.get('retry-after')));
  }
  return new OutboxParkError(message, response.status);
}

/**
 * The error for a call that got no usable answer. Rounds' outbound client words every failure itself: a refused
 * address, a redirect, an oversized answer or a non-JSON one park the job (trying again will not change them);
 * no answer at all (refused, reset, timed out, unknown host) is retried.
 */
export function failureFromOutbound(error: unknown, what: string): Error {
  if (error instanceof OutboundError) {
    if (['timeout', 'unreachable', 'unresolvable'].includes(error.kind)) {
      return new OutboxRetryableError(`The LMS could not be reached when ${what}: ${error.message}`);
    }
    return new OutboxParkError(`Rounds stopped ${what}: ${error.message}`);
  }
  return new OutboxRetryableError(`The LMS could not be reached when ${what}.`);
}
