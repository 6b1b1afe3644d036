import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Config } from '../../config';
import { ValidationError } from '../../shared/errors';
import { fieldErrors } from '../../shared/http/fieldErrors';
import { requireRole } from '../../shared/http/requireRole';
import { requireCmeAdmin } from '../core';
import type { CertificateViewer } from './certificate.policy';
import { renderCertificatePdf } from './certificate.pdf';
import { certificateFor } from './certificate.service';
import { transcriptQuerySchema } from './certificates.schemas';
import { cmeHomeFor } from './home.service';
import { transcriptCsv } from './transcript.csv';
import { renderTranscriptPdf } from './transcript.pdf';
import { transcriptFor } from './transcript.service';

const fieldIds: Record<string, string> = { from: 'transcript-from', to: 'transcript-to' };

/** A learner opens their own certificates; an LMS admin or a Rounds account goes through the CME admin check. */
function certificateViewer(): RequestHandler {
  const asCmeAdmin = requireCmeAdmin();
  return (req, res, next) => {
    if (req.actor && req.actor.role !== 'admin' && !req.account) return next();
    asCmeAdmin(req, res, next);
  };
}

function viewerOf(req: Request): CertificateViewer {
  if (req.cmeAdmin) return { kind: 'cme-admin', tenantId: req.cmeAdmin.tenantId };
  return { kind: 'learner', tenantId: req.actor!.tenantId, userId: req.actor!.userId };
}

function typedRange(query: Request['query']) {
  const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 40) : '');
  return { from: text(query.from), to: text(query.to) };
}

async function renderTranscriptPage(req: Request, res: Response) {
  const parsed = transcriptQuerySchema.safeParse(req.query);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    res.status(400);
    return res.render('cme/certificates/transcript', {
      title: 'Error: Your CME transcript',
      errors: Object.entries(errors).map(([field, message]) => ({
        href: `#${fieldIds[field] ?? 'transcript-from'}`,
        message,
      })),
      fieldErrors: errors,
      form: typedRange(req.query),
    });
  }
  const transcript = await transcriptFor(req.actor!, parsed.data);
  const query = new URLSearchParams({ from: transcript.from, to: transcript.to }).toString();
  res.render('cme/certificates/transcript', {
    title: 'Your CME transcript',
    form: { from: transcript.from, to: transcript.to },
    transcript,
    pdfPath: `/cme/transcript.pdf?${query}`,
    csvPath: `/cme/transcript.csv?${query}`,
  });
}

/** The transcript a download asks for; a wrong range is a 400 naming the field (the page's form shows it). */
async function transcriptOf(req: Request) {
  const parsed = transcriptQuerySchema.safeParse(req.query);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    throw new ValidationError(Object.values(errors).join(' '), errors);
  }
  return transcriptFor(req.actor!, parsed.data);
}

function download(res: Response, type: string, filename: string, body: Buffer | string) {
  res
    .set('Cache-Control', 'private, no-store')
    .type(type)
    .set('Content-Disposition', `attachment; filename="${filename}"`)
    .send(body);
}

/**
 * The learner's CME pages (LTI session): `/cme` (this year's totals with a chart, every certificate),
 * `/cme/transcript` (a range, with PDF and CSV downloads) and `/cme/certificates/<number>.pdf` (their own
 * certificates; a CME admin of the tenant may open any of the tenant's).
 */
export function certificatesRouter(deps: { config: Config }): Router {
  const { config } = deps;
  const router = Router();
  const learner = requireRole('learner', 'instructor', 'admin');

  router.get('/cme', learner, async (req, res) => {
    const home = await cmeHomeFor(req.actor!);
    res.render('cme/certificates/home', { title: 'Your CME credit', home });
  });

  router.get('/cme/transcript', learner, renderTranscriptPage);

  router.get('/cme/transcript.pdf', learner, async (req, res) => {
    const transcript = await transcriptOf(req);
    const pdf = await renderTranscriptPdf(transcript);
    download(res, 'application/pdf', `cme-transcript-${transcript.from}-to-${transcript.to}.pdf`, pdf);
  });

  router.get('/cme/transcript.csv', learner, async (req, res) => {
    const transcript = await transcriptOf(req);
    download(
      res,
      'text/csv; charset=utf-8',
      `cme-transcript-${transcript.from}-to-${transcript.to}.csv`,
      transcriptCsv(transcript),
    );
  });

  router.get('/cme/certificates/:number.pdf', certificateViewer(), async (req, res) => {
    const certificate = await certificateFor(viewerOf(req), String(req.params.number), config.publicUrl);
    const pdf = await renderCertificatePdf(certificate);
    res
      .set('Cache-Control', 'private, no-store')
      .type('application/pdf')
      .set('Content-Disposition', `inline; filename="certificate-${certificate.number}.pdf"`)
      .send(pdf);
  });

  return router;
}
