import { Router, type Request } from 'express';
import { NotFoundError } from '../../shared/errors';
import { csrfProtection } from '../../shared/http/csrf';
import { requireRole } from '../../shared/http/requireRole';
import { deleteConfirmationSchema, fromOf, resultIdSchema } from './results.schemas';
import { deleteOwnData, exportOwnData } from './results.service';
import { resultPageFor, resultsPageFor } from './results.views';
import type { Vault } from './vault.service';

function resultIdOf(req: Request): string {
  const parsed = resultIdSchema.safeParse(req.params.id);
  if (!parsed.success) throw new NotFoundError('We could not find that result.');
  return parsed.data;
}

const deletedNotice = 'Your self-check results were deleted. Nothing of them can be read any more.';

/**
 * The learner's own results and data: `/wellbeing/results` (trend per instrument), `/wellbeing/results/:id` (one
 * result, HTML or JSON), `/wellbeing/data` (download and delete). Every lookup is scoped by the actor's tenant and
 * user id, so another person's result is a 404 whoever asks; pages are never cached.
 */
export function resultsPagesRouter(csrfSecret: string, vault: Vault): Router {
  const router = Router();
  router.use(
    ['/wellbeing/results', '/wellbeing/data'],
    requireRole('learner', 'instructor', 'admin'),
    csrfProtection(csrfSecret),
    (_req, res, next) => {
      res.set('Cache-Control', 'no-store');
      next();
    },
  );

  router.get('/wellbeing/results', async (req, res) => {
    res.render('wellbeing/checks/results', {
      title: 'My self-check results',
      ...(await resultsPageFor(vault, req.actor!)),
    });
  });

  router.get('/wellbeing/results/:id', async (req, res) => {
    const from = fromOf(req.query.from);
    const { json, page } = await resultPageFor(vault, req.actor!, resultIdOf(req), from);
    if (req.accepts(['html', 'json']) === 'json') return res.json(json);
    res.render('wellbeing/checks/result', { title: `Your result: ${page.instrument.name}`, ...page });
  });

  router.get('/wellbeing/data', (req, res) => {
    res.render('wellbeing/checks/data', {
      title: 'Your well-being data',
      notice: req.query.done === 'deleted' ? deletedNotice : undefined,
    });
  });

  router.get('/wellbeing/data/export', async (req, res) => {
    const data = await exportOwnData(vault, req.actor!);
    res.set('Content-Disposition', 'attachment; filename="rounds-self-check-results.json"');
    res.type('application/json').send(JSON.stringify(data, null, 2));
  });

  router.post('/wellbeing/data/delete', async (req, res) => {
    const parsed = deleteConfirmationSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const message = 'Tick the box to confirm that you want to delete all your self-check results.';
      res.status(400);
      return res.render('wellbeing/checks/data', {
        title: 'Error: Your well-being data',
        errors: [{ href: '#confirm-delete', message }],
        confirmError: message,
      });
    }
    await deleteOwnData(vault, req.actor!);
    res.redirect(303, '/wellbeing/data?done=deleted');
  });

  return router;
}
