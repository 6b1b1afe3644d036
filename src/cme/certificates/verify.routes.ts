import { Router, type Response } from 'express';
import type { Config } from '../../config';
import { rateLimit } from '../../shared/http/rateLimit';
import { readCertificateNumber } from '../core';
import { verifyQuerySchema } from './certificates.schemas';
import { verifyCertificate, type Verification } from './verify.service';

/** Lookups per client address and minute: plenty for a board checking certificates, too few to enumerate. */
export const verifyLimitPerMinute = 30;

const messages = {
  typo:
    'This looks like a typo: the last character of the number does not match the others. ' +
    'Check each character against the certificate and try again.',
  malformed:
    'Enter the certificate number as printed, like RND-7K2M-9XQ4-HT3B-WP8D-4: ' +
    '16 letters and digits in four groups, then one check character.',
  empty: 'Enter the certificate number printed on the certificate.',
} as const;

function renderVerify(
  res: Response,
  page: { typed: string; error?: string; result?: Verification; status?: number },
) {
  // A revocation can happen at any time, and names on certificates are not for search engines.
  res.set('Cache-Control', 'no-store').set('X-Robots-Tag', 'noindex, nofollow');
  const result = page.result;
  res.status(page.status ?? 200).render('cme/certificates/verify', {
    title: page.error ? 'Error: Verify a CME certificate' : 'Verify a CME certificate',
    typed: page.typed,
    error: page.error,
    errors: page.error ? [{ href: '#certificate-number', message: page.error }] : [],
    genuine: result?.status === 'genuine' ? result : undefined,
    unknown: result?.status === 'unknown' ? result : undefined,
  });
}

/**
 * `/verify` and `/verify/<number>`: public (no session), rate-limited per client address. Anyone holding a
 * certificate (a licensing board, an employer) confirms it is genuine and whether it was revoked; a mistyped
 * number is called a typo; any other number gets the same neutral "no certificate has this number".
 */
export function verifyRouter(deps: { config: Config }): Router {
  void deps;
  const router = Router();
  const limit = rateLimit({ limit: verifyLimitPerMinute, windowMs: 60_000 });

  router.get('/verify', limit, (req, res) => {
    const parsed = verifyQuerySchema.safeParse(req.query);
    const typed = parsed.success ? parsed.data.number : '';
    if (!parsed.success || typed === undefined) return renderVerify(res, { typed: '' });
    if (typed === '') return renderVerify(res, { typed, error: messages.empty, status: 400 });
    const reading = readCertificateNumber(typed);
    if (!reading.ok) {
      const error = messages[reading.reason === 'checksum' ? 'typo' : 'malformed'];
      return renderVerify(res, { typed, error, status: 400 });
    }
    // The canonical number's characters (Crockford base32, dashes, and the check symbols * ~ $ = U) are all
    // allowed in a URL path as they are.
    res.redirect(303, `/verify/${reading.number}`);
  });

  router.get('/verify/:number', limit, async (req, res) => {
    const typed = String(req.params.number).slice(0, 100);
    const result = await verifyCertificate(typed);
    switch (result.status) {
      case 'genuine':
        return renderVerify(res, { typed: result.number, result });
      case 'unknown':
        return renderVerify(res, { typed: result.number ?? typed, result, status: 404 });
      default:
        return renderVerify(res, { typed, error: messages[result.status], status: 400 });
    }
  });

  return router;
}
