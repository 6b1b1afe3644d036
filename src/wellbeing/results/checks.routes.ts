import { Router, type Request, type Response } from 'express';
import { csrfProtection } from '../../shared/http/csrf';
import { rateLimit } from '../../shared/http/rateLimit';
import { requireRole } from '../../shared/http/requireRole';
import { AppError, NotFoundError } from '../../shared/errors';
import { getInstrument, readAnswers, type Instrument } from '../instruments';
import { fromOf, instrumentParamSchema } from './results.schemas';
import { enabledInstrument, saveResult } from './results.service';
import { libraryFor } from './results.views';
import type { Vault } from './vault.service';

/** The form page's state: what was chosen (kept on every re-render) and what is wrong. */
interface FormState {
  from?: string;
  values?: Record<string, string>;
  errors?: Record<string, string>;
  /** The answers were complete but could not be saved. */
  notSaved?: boolean;
}

function renderForm(res: Response, instrument: Instrument, state: FormState = {}) {
  const errors = state.errors ?? {};
  const summary = instrument.items
    .filter((item) => errors[item.id])
    .map((item) => ({ href: `#${item.id}-${item.options[0]!.value}`, message: errors[item.id]! }));
  res.render('wellbeing/checks/take', {
    title: summary.length || state.notSaved ? `Error: ${instrument.name}` : instrument.name,
    instrument,
    from: state.from,
    values: state.values ?? {},
    fieldErrors: errors,
    errors: summary,
    notSaved: state.notSaved,
  });
}

/** The answers as typed, for re-rendering: only the instrument's own fields, only strings. */
function typedValues(instrument: Instrument, body: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const item of instrument.items) {
    const value = body[item.id];
    if (typeof value === 'string') values[item.id] = value;
  }
  return values;
}

async function instrumentOf(req: Request): Promise<Instrument> {
  const parsed = instrumentParamSchema.safeParse(req.params.instrument);
  if (!parsed.success) throw new NotFoundError('We could not find that self-check.');
  return enabledInstrument(req.actor!, getInstrument(parsed.data).id);
}

/**
 * The self-check library and its forms: `/wellbeing/checks` (what each check is, that answers are private) and
 * `/wellbeing/checks/:instrument` (GET the form, POST the answers → 303 to the result). Anyone signed in may take
 * a check for themselves; the answers are sealed for them alone and never logged or put in a URL.
 */
export function checksPagesRouter(csrfSecret: string, vault: Vault): Router {
  const router = Router();
  router.use(
    '/wellbeing/checks',
    requireRole('learner', 'instructor', 'admin'),
    csrfProtection(csrfSecret),
    (_req, res, next) => {
      res.set('Cache-Control', 'no-store');
      next();
    },
  );

  router.get('/wellbeing/checks', async (req, res) => {
    res.render('wellbeing/checks/library', { title: 'Self-checks', ...(await libraryFor(req.actor!)) });
  });

  router.get('/wellbeing/checks/:instrument', async (req, res) => {
    renderForm(res, await instrumentOf(req), { from: fromOf(req.query.from) });
  });

  // Far above anyone's real use (a check takes a minute); it bounds how many sealed records one session can make.
  const savesPerLearner = rateLimit({
    limit: 30,
    windowMs: 3600_000,
    key: (req) => `${req.actor!.tenantId}:${req.actor!.userId}`,
  });

  router.post('/wellbeing/checks/:instrument', savesPerLearner, async (req, res) => {
    const instrument = await instrumentOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const from = fromOf(body.from);
    const values = typedValues(instrument, body);
    const { errors } = readAnswers(instrument, values);
    if (Object.keys(errors).length) {
      res.status(400);
      return renderForm(res, instrument, { from, values, errors });
    }
    let id: string;
    try {
      id = await saveResult(vault, req.actor!, instrument, values);
    } catch (error) {
      if (error instanceof AppError && error.status < 500) throw error;
      // Logged without the answers: the error comes from the database or the vault, never from the form.
      req.log?.error({ err: error }, 'a self-check result could not be saved');
      res.status(503);
      return renderForm(res, instrument, { from, values, notSaved: true });
    }
    res.redirect(303, `/wellbeing/results/${id}${from ? `?from=${encodeURIComponent(from)}` : ''}`);
  });

  return router;
}
