import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config';
import { ValidationError } from '../../shared/errors';
import { csrfProtection } from '../../shared/http/csrf';
import { fieldErrors } from '../../shared/http/fieldErrors';
import { requireCmeAdmin } from '../core';
import { auditQuerySchema, claimSearchSchema, reissueFormSchema, revokeFormSchema } from './claims.schemas';
import { correctionsAudit } from './audit.service';
import { claimDetail, reissueEntry, revokeEntry, searchClaims } from './corrections.service';

type CorrectionForm = 'revoke' | 'reissue';

interface Refused {
  form: CorrectionForm;
  typed: { reason: string; amount: string };
  errors: Record<string, string>;
}

const detailPath = (entryId: string) => `/cme/admin/claims/${encodeURIComponent(entryId)}`;

function typedOf(body: unknown) {
  const fields = (body ?? {}) as Record<string, unknown>;
  const text = (name: string) => (typeof fields[name] === 'string' ? fields[name] : '');
  return { reason: text('reason'), amount: text('amount') };
}

async function renderDetail(req: Request, res: Response, refused?: Refused) {
  const detail = await claimDetail(req.cmeAdmin!, String(req.params.entryId));
  const errors = refused?.errors ?? {};
  const summary = Object.entries(errors).map(([field, message]) => ({
    href: `#${refused!.form}-${field === 'amount' ? 'amount' : 'reason'}`,
    message,
  }));
  const done = refused ? '' : String(req.query.done ?? '');
  res.render('cme/claims/admin-entry', {
    title: `${summary.length ? 'Error: ' : ''}Certificate ${detail.entry.number}`,
    ...detail,
    errors: summary,
    revokeErrors: refused?.form === 'revoke' ? errors : {},
    reissueErrors: refused?.form === 'reissue' ? errors : {},
    revokeTyped: refused?.form === 'revoke' ? refused.typed : { reason: '', amount: '' },
    reissueTyped: refused?.form === 'reissue' ? refused.typed : { reason: '', amount: detail.entry.amount },
    notice:
      done === 'revoked'
        ? 'Revoked. The certificate now verifies as revoked; the revocation is in the audit log.'
        : done === 'reissued'
          ? 'Reissued with a new certificate number; the reissue is in the audit log.'
          : '',
  });
}

/**
 * CME admin corrections (issue 13, item 6): search the tenant's claims, open one with its history, revoke it or
 * reissue a revoked one (each with a reason, as new ledger entries), and the audit log of corrections.
 */
export function claimsAdminRouter({ config }: { config: Config }): Router {
  const router = Router();
  const guard = [requireCmeAdmin(), csrfProtection(config.sessionSecret)];

  router.get('/cme/admin/claims', ...guard, async (req, res) => {
    const search = claimSearchSchema.parse(req.query);
    const result = await searchClaims(req.cmeAdmin!, search);
    res.render('cme/claims/admin-claims', {
      title: 'CME claims',
      ...result,
      q: search.q,
      searched: Boolean(search.q || search.activity),
    });
  });

  router.get('/cme/admin/claims/:entryId', ...guard, (req, res) => renderDetail(req, res));

  const correction = (form: CorrectionForm) => async (req: Request, res: Response) => {
    const entryId = String(req.params.entryId);
    const typed = typedOf(req.body);
    let landing = entryId;
    try {
      if (form === 'revoke') {
        const parsed = revokeFormSchema.safeParse(req.body ?? {});
        if (!parsed.success) throw new ValidationError('Revoke refused', fieldErrors(parsed.error));
        await revokeEntry(req.cmeAdmin!, entryId, parsed.data.reason);
      } else {
        const parsed = reissueFormSchema.safeParse(req.body ?? {});
        if (!parsed.success) throw new ValidationError('Reissue refused', fieldErrors(parsed.error));
        landing = (await reissueEntry(req.cmeAdmin!, entryId, parsed.data)).reissueId;
      }
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      res.status(400);
      return renderDetail(req, res, { form, typed, errors: error.fields });
    }
    // A reissue opens on the new certificate; its history shows the revoked one it replaces.
    res.redirect(303, `${detailPath(landing)}?done=${form === 'revoke' ? 'revoked' : 'reissued'}`);
  };
  router.post('/cme/admin/claims/:entryId/revoke', ...guard, correction('revoke'));
  router.post('/cme/admin/claims/:entryId/reissue', ...guard, correction('reissue'));

  router.get('/cme/admin/audit', ...guard, async (req, res) => {
    const { page } = auditQuerySchema.parse(req.query);
    res.render('cme/claims/audit', {
      title: 'CME audit log',
      ...(await correctionsAudit(req.cmeAdmin!, page)),
    });
  });

  return router;
}
