import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import {
  addressPolicy,
  checkedAddresses,
  hostOf,
  parseWebUrl,
  OutboundError,
  type AddressPolicy,
  type ResolvedAddress,
} from './addressGuard';

export {
  assertPublicUrl,
  isInternalAddress,
  OutboundError,
  useAddressPolicy,
  type AddressPolicy,
  type OutboundFailure,
  type ResolvedAddress,
  type ResolveHost,
} from './addressGuard';

const defaultMaxBytes = 1024 * 1024;
const defaultTimeoutMs = 10_000;

export interface OutboundOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The most bytes of answer Rounds reads (default 1 MiB); a longer answer is refused, not truncated. */
  maxBytes?: number;
  /** The whole call, redirects and body included, must finish within this (default 10 s). */
  timeoutMs?: number;
  /** Same-origin redirects followed (default none). A redirect to another origin is always refused. */
  maxRedirects?: number;
  /**
   * Development and tests only (`config.env !== 'production'`): the sandbox LMS runs on 127.0.0.1. Everything
   * else (size, time, redirects) holds either way.
   */
  allowPrivateAddresses?: boolean;
  /** How hosts are resolved and vetted, for this call only (tests). */
  policy?: Partial<AddressPolicy>;
}

/** An answer, read in full (within the size cap). */
export interface OutboundResponse {
  status: number;
  ok: boolean;
  /** The URL that answered (after same-origin redirects). */
  url: string;
  headers: { get(name: string): string | null };
  text(): string;
  /** The body as JSON; throws OutboundError `not_json` (without quoting the body) when it is not. */
  json(): unknown;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/** Whether outbound calls may reach private addresses: never in production (see OutboundOptions). */
export function privateAddressesAllowed(config: { env: string }): boolean {
  return config.env !== 'production';
}

/**
 * The one HTTP client for every call Rounds makes to another server (platform keysets, tokens, AGS, NRPS, Dynamic
 * Registration). Unless private addresses are allowed, it resolves the host once, refuses loopback, private,
 * link-local and metadata addresses, and connects to exactly the address it checked, so a DNS server that
 * answers differently the second time (rebinding) has no second time. It follows no redirect to another origin,
 * and caps the answer's size and the call's time. Resolves with any status; rejects with OutboundError.
 */
export async function outboundRequest(
  url: string | URL,
  options: OutboundOptions = {},
): Promise<OutboundResponse> {
  const deadline = Date.now() + (options.timeoutMs ?? defaultTimeoutMs);
  let target = parseWebUrl(url);
  const origin = target.origin;
  let method = (options.method ?? 'GET').toUpperCase();
  let body = options.body;
  for (let redirects = 0; ; redirects += 1) {
    const response = await requestOnce(target, { ...options, method, body }, deadline);
    const location = response.headers.get('location');
    if (!redirectStatuses.has(response.status) || !location) return response;
    const next = parseWebUrl(new URL(location, target));
    if (next.origin !== origin) {
      throw new OutboundError(
        'redirect',
        `${target.host} redirected to another site; Rounds does not follow.`,
      );
    }
    if (redirects >= (options.maxRedirects ?? 0)) {
      throw new OutboundError('redirect', `${target.host} answered with a redirect (${response.status}).`);
    }
    // Fetch §4.4: 303, and 301/302 after a POST, continue as a GET without the body.
    if (
      response.status === 303 ||
      ((response.status === 301 || response.status === 302) && method === 'POST')
    ) {
      method = 'GET';
      body = undefined;
    }
    target = next;
  }
}

/**
 * A `lookup` for net.connect that hands back only addresses it has vetted. Node calls it once per connection
 * and connects to what it returns; an IP literal skips it (net does not look those up), so those are vetted
 * before the request starts.
 */
function vettedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    checkedAddresses(hostname, policy).then(
      (addresses: ResolvedAddress[]) => {
        const wanted = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : 0;
        const usable = addresses.filter(({ family }) => !wanted || family === wanted);
        if (usable.length === 0) {
          callback(new OutboundError('unresolvable', `Rounds could not find ${hostname}.`), '', 0);
        } else if (lookupOptions.all) {
          (callback as unknown as (error: null, all: ResolvedAddress[]) => void)(null, usable);
        } else {
          callback(null, usable[0]!.address, usable[0]!.family);
        }
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}

async function requestOnce(
  url: URL,
  options: OutboundOptions & { method: string },
  deadline: number,
): Promise<OutboundResponse> {
  const guarded = !options.allowPrivateAddresses;
  const policy = addressPolicy(options.policy);
  const effective = guarded ? policy : { ...policy, isBlockedAddress: () => false };
  const host = hostOf(url);
  // net skips `lookup` for an IP literal: vet it here. A name is resolved and vetted inside the connection.
  if (guarded && isIP(host)) await checkedAddresses(host, effective);
  const maxBytes = options.maxBytes ?? defaultMaxBytes;
  // Some LMS firewalls turn away requests that name no client.
  const headers: Record<string, string> = { 'user-agent': 'Rounds (LTI tool)', ...options.headers };
  if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
  const transport = url.protocol === 'https:' ? https : http;

  return new Promise<OutboundResponse>((resolve, reject) => {
    const request = transport.request({
      protocol: url.protocol,
      hostname: host,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: options.method,
      headers,
      agent: false,
      lookup: vettedLookup(effective),
      ...(policy.ca ? { ca: policy.ca } : {}),
    });
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(error instanceof OutboundError ? error : unreachable(url, error));
    };
    const timer = setTimeout(
      () => fail(new OutboundError('timeout', `${url.host} did not answer in time.`)),
      Math.max(0, deadline - Date.now()),
    );
    request.on('error', fail);
    request.on('response', (response: IncomingMessage) => {
      if (Number(response.headers['content-length']) > maxBytes) return fail(tooLarge(url, maxBytes));
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) fail(tooLarge(url, maxBytes));
        else chunks.push(chunk);
      });
      response.on('error', fail);
      response.on('aborted', () =>
        fail(new OutboundError('unreachable', `${url.host} broke off its answer.`)),
      );
      response.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(answer(url, response, Buffer.concat(chunks).toString('utf8')));
      });
    });
    request.end(options.body);
  });
}

function tooLarge(url: URL, maxBytes: number): OutboundError {
  return new OutboundError('too_large', `${url.host} answered with more than ${maxBytes} bytes.`);
}

/** A connection that failed: the system's error code (ECONNREFUSED, ECONNRESET…) is Rounds' to show. */
function unreachable(url: URL, error: Error): OutboundError {
  const code = (error as NodeJS.ErrnoException).code;
  return new OutboundError('unreachable', `${url.host} could not be reached${code ? ` (${code})` : ''}.`);
}

function answer(url: URL, response: IncomingMessage, text: string): OutboundResponse {
  const status = response.statusCode ?? 0;
  return {
    status,
    ok: status >= 200 && status < 300,
    url: url.toString(),
    headers: {
      get(name: string) {
        const value = response.headers[name.toLowerCase()];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(', ') : value;
      },
    },
    text: () => text,
    json: () => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new OutboundError('not_json', `${url.host} did not answer with JSON.`);
      }
    },
  };
}
