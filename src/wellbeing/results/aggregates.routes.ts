import { Router } from 'express';
import { csrfProtection } from '../../shared/http/csrf';
import { requireRole } from '../../shared/http/requireRole';
import { aggregatesFor } from './aggregates.service';
import { smallestShownGroup } from './suppression';

/**
 * `/admin/wellbeing/aggregates`: the tenant admin's only view of self-checks, counts per band per month with small
 * groups suppressed. No learner's answer or score is ever shown, here or anywhere else an admin can reach.
 */
export function aggregatesPagesRouter(csrfSecret: string): Router {
  const router = Router();
  router.use('/admin/wellbeing/aggregates', requireRole('admin'), csrfProtection(csrfSecret));
  router.get('/admin/wellbeing/aggregates', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.render('wellbeing/checks/aggregates', {
      title: 'Self-check aggregates',
      instruments: await aggregatesFor(req.actor!),
      smallestShownGroup,
    });
  });
  return router;
}
