import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { Logger } from '../logger';

const redacted = '[redacted]';

/** Query parameters whose values are credentials or one-time secrets (LTI, OIDC, Dynamic Registration, accounts). */
const secretParameters = new Set([
  'registration_token',
  'id_token',
  'state',
  'nonce',
  'code',
  'token',
  'password',
  'invitation',
  'reset',
]);

/** Whether a query parameter's value must never reach a log: the names above, any `*_token` or `*_secret`. */
function isSecretParameter(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    secretParameters.has(lower) ||
    lower.endsWith('_token') ||
    lower.endsWith('_secret') ||
    lower.startsWith('invitation') ||
    lower.startsWith('reset')
  );
}

function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/**
 * The URL (absolute or path + query) with every secret parameter's value, and a secret link's token (set-password, invitation, calendar feed),
 * replaced by `[redacted]`; everything else is kept byte for byte, so logs still show which endpoint was called with which public parameters.
 */
export function redactUrl(rawUrl: string): string {
  // Secret links carry their token in the path: set-password (issue 11), mentor invitations and calendar feeds
  // (issue 12). That segment goes too, in any case (express routes /SET-PASSWORD/<token> there as well).
  const url = rawUrl.replace(/(\/(?:set-password|invitations|calendar)\/)[^/?#]+/i, `$1${redacted}`);
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const hashStart = url.indexOf('#', queryStart);
  const query = url.slice(queryStart + 1, hashStart < 0 ? undefined : hashStart);
  const fragment = hashStart < 0 ? '' : url.slice(hashStart);
  const parts = query.split('&').map((part) => {
    const equals = part.indexOf('=');
    const name = equals < 0 ? part : part.slice(0, equals);
    return equals >= 0 && isSecretParameter(decodedName(name)) ? `${name}=${redacted}` : part;
  });
  // A fragment never reaches the server, but a Referer might carry one: it could hold an implicit-flow token.
  return `${url.slice(0, queryStart + 1)}${parts.join('&')}${fragment ? '#' + redacted : ''}`;
}

function redactQueryObject(query: unknown): unknown {
  if (!query || typeof query !== 'object') return query;
  return Object.fromEntries(
    Object.entries(query as Record<string, unknown>).map(([name, value]) => [
      name,
      isSecretParameter(name) ? redacted : value,
    ]),
  );
}

interface SerializedRequest {
  url?: string;
  query?: unknown;
  headers?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * pino-http's request object, with secret query values out of the URL, the parsed query and the Referer, and
 * without the body's length.
 */
function serializeRequest(req: SerializedRequest): SerializedRequest {
  // A body's length says how much someone wrote (a reflection, a self-check form): not the log's business.
  const { 'content-length': _length, ...headers } = req.headers ?? {};
  if (typeof headers.referer === 'string') headers.referer = redactUrl(headers.referer);
  return {
    ...req,
    url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
    query: redactQueryObject(req.query),
    headers,
  };
}

/**
 * pino-http's response object: its status code only, an allow-list. Headers of an answer say more than they seem:
 * `Location` of the OIDC login and Dynamic Registration carries state, nonce and tokens; the `Content-Length` and
 * `ETag` of a self-check result tell a positive screen from a negative one, and an ETag (a hash of a predictable
 * body) can be reversed into the answers (issue 10: well-being data never in a log line).
 */
function serializeResponse(res: { statusCode?: unknown; [key: string]: unknown }) {
  return { statusCode: res.statusCode };
}

/**
 * Paths browsers and crawlers ask for on their own (`/favicon.ico`, Apple's touch icons, `robots.txt`) and Rounds'
 * and the sandbox's static files. A 404 of one is routine (a browser probing for an icon), not a warning: the
 * request's own log line records it.
 */
export function isStaticAssetPath(path: string): boolean {
  return /^\/(?:(?:sandbox\/)?static\/|favicon\.ico$|apple-touch-icon[\w.-]*\.png$|robots\.txt$)/.test(path);
}

/**
 * The request logger: one line per request with its id (an incoming `X-Request-Id` when well-formed, otherwise a
 * new UUID, echoed in the response), health probes not logged, and no secret in any URL or header it writes.
 * Lines a handler writes through `req.log` carry the request id only: the request's own line has its headers,
 * once (a warning repeating every header buried what it said).
 */
export function requestLogger(logger: Logger): HttpLogger<IncomingMessage, ServerResponse> {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    quietReqLogger: true,
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    serializers: { req: serializeRequest, res: serializeResponse },
  });
}
