import { Router } from 'express';
import { NotFoundError } from '../shared/errors';
import { requireRole } from '../shared/http/requireRole';
import { findPlaceholder, targetKindLabels } from './targets.catalog';

/**
 * "Module: Burnout basics", but a target named like its kind is not "Reflection assignment: Reflection assignment"
 * (what Moodle showed as the page's title).
 */
function headingFor(title: string, kindLabel: string): string {
  return title.toLowerCase().startsWith(kindLabel.toLowerCase()) ? title : `${kindLabel}: ${title}`;
}

/**
 * `/targets/:kind/:id`: where a launch of a placed reflection assignment or CME claim page lands. A placeholder
 * page saying what the activity is, until the cohorts and CME features serve their own pages (modules are served
 * by the well-being player, mounted before this router).
 */
export function targetsRouter(): Router {
  const router = Router();
  router.get('/targets/:kind/:id', requireRole('learner', 'instructor', 'admin'), (req, res) => {
    const target = findPlaceholder(req.params.kind as string, req.params.id as string);
    if (!target) throw new NotFoundError('This activity is not part of Rounds (any more).');
    const heading = headingFor(target.title, targetKindLabels[target.kind]);
    res.render('targets/show', { title: heading, heading, target });
  });
  return router;
}
