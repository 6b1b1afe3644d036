import { Router } from 'express';
import { NotFoundError } from '../shared/errors';
import { requireRole } from '../shared/http/requireRole';
import { findTarget, targetKindLabels } from './targets.catalog';

/**
 * `/targets/:kind/:id`: where a launch of a placed activity lands. A placeholder page saying what the activity
 * is, until the module, reflection and CME features serve their own pages.
 */
export function targetsRouter(): Router {
  const router = Router();
  router.get('/targets/:kind/:id', requireRole('learner', 'mentor', 'admin'), (req, res) => {
    const target = findTarget(req.params.kind as string, req.params.id as string);
    if (!target) throw new NotFoundError('This activity is not part of Rounds (any more).');
    const kindLabel = targetKindLabels[target.kind];
    res.render('targets/show', {
      title: `${kindLabel}: ${target.title}`,
      kindLabel,
      target,
    });
  });
  return router;
}
