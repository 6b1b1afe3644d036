import type { Response } from 'express';

/** The origin of an http(s) URL, as a CSP source; undefined for anything else (other schemes, not a URL). */
export function webOriginOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Adds one origin to a directive of the Content-Security-Policy already set on this response (by helmet, for
 * every request). For the few LTI pages that must be framed by, or post to, an LMS origin that the per-request
 * list of registered platforms does not name: the LMS registering Rounds, a deep-linking return URL on another
 * host than the issuer (Canvas: the school's domain, issuer canvas.instructure.com).
 */
export function allowCspSource(
  res: Response,
  directive: 'frame-ancestors' | 'form-action',
  url: unknown,
): void {
  const origin = webOriginOf(url);
  if (!origin) return;
  const policy = res.getHeader('Content-Security-Policy');
  if (typeof policy !== 'string') return;
  const pattern = new RegExp(`(^|;)\\s*${directive}([^;]*)`);
  res.setHeader(
    'Content-Security-Policy',
    pattern.test(policy)
      ? policy.replace(
          pattern,
          (_match, start: string, sources: string) => `${start}${directive}${sources} ${origin}`,
        )
      : `${policy};${directive} 'self' ${origin}`,
  );
}
