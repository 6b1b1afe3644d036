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

const maxDetailLength = 300;

/** The error text an LMS sent, for the reason an admin reads: a JSON error message or the start of the body. */
async function detailOf(response: Response): Promise<string> {
  const text = (await response.text().catch(() => '')).trim();
  if (!text) return '';
  try {
    const body = JSON.parse(text) as {
      error?: string | { message?: string; code?: string };
      error_description?: string;
      message?: string;
      reason?: string;
    };
    const parts =
      typeof body.error === 'object'
        ? [body.error.message ?? body.error.code]
        : [body.error, body.error_description ?? body.message ?? body.reason];
    const detail = parts.filter(Boolean).join(': ');
    if (detail) return detail.slice(0, maxDetailLength);
  } catch {
    // Not JSON: an HTML error page or plain text.
  }
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, maxDetailLength);
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
 * other status parks the job with the LMS's own explanation. `what` names the call ("posting the score").
 */
export async function failureFromResponse(response: Response, what: string): Promise<Error> {
  const detail = await detailOf(response);
  const message = `The LMS answered ${response.status} when ${what}${detail ? `: ${detail}` : ''}`;
  if (response.status === 429 || response.status >= 500) {
    return new OutboxRetryableError(message, parseRetryAfter(response.headers.get('retry-after')));
  }
  return new OutboxParkError(message, response.status);
}

/** The error for a request that got no answer (refused, reset, timed out). */
export function failureFromNetwork(error: unknown, what: string): OutboxRetryableError {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
  return new OutboxRetryableError(`The LMS could not be reached when ${what} (${reason})`);
}
