import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config';
import { ConflictError, ValidationError } from '../../shared/errors';
import { csrfProtection } from '../../shared/http/csrf';
import { fieldErrors } from '../../shared/http/fieldErrors';
import { requireCohortViewer } from '../core';
import {
  gradeVersion,
  latestVersionIdOf,
  openQueue,
  openVersionForGrading,
  outcomeNotice,
  returnVersion,
} from './grading.service';
import { gradeFormSchema, queueQuerySchema, queueTabs } from './reflection.schemas';

const tabLabels = { due: 'To grade', overdue: 'Overdue', returned: 'Returned', graded: 'Graded' } as const;

async function renderGrading(
  req: Request,
  res: Response,
  refused?: { fields: Record<string, unknown>; feedback: string; errors: Record<string, string> },
) {
  const viewer = req.cohortViewer!;
  const page = await openVersionForGrading(viewer, String(req.params.versionId));
  const errors = refused?.errors ?? {};
  const chosen = (index: number) =>
    refused
      ? refused.fields[`level_${index}`]
      : page.version.levels.find((l) => l.criterion === index)?.level;
  const criteria = page.assignment.criteria.map((criterion) => ({
    ...criterion,
    field: `level_${criterion.index}`,
    error: errors[`level_${criterion.index}`],
    levels: criterion.levels.map((level) => ({
      ...level,
      id: `level-${criterion.index}-${level.index}`,
      checked: String(chosen(criterion.index)) === String(level.index),
    })),
  }));
  const summary = Object.entries(errors).map(([field, message]) => ({
    href: field === 'feedback' ? '#feedback' : `#level-${field.slice('level_'.length)}-0`,
    message,
  }));
  const done = typeof req.query.done === 'string' ? await outcomeNotice(viewer, req.query.done) : undefined;
  res.render('cohorts/reflections/grade', {
    title: `${summary.length ? 'Error: ' : ''}Reflection of ${page.menteeName}`,
    ...page,
    criteria,
    feedback: refused ? refused.feedback : page.version.feedback,
    errors: summary,
    fieldErrors: errors,
    done,
  });
}

/**
 * `/grading`: a mentor's one queue across their cohorts (to grade, overdue, returned, graded; oldest first) and
 * the keyboard-first grading page of a version (rubric radios, feedback, save grade / return for revision, next
 * and previous). After a grade or a return, on to the next reflection to grade.
 */
export function gradingRouter({ config }: { config: Config }): Router {
  const router = Router();
  const guard = [requireCohortViewer(), csrfProtection(config.sessionSecret)];

  router.get('/grading', ...guard, async (req, res) => {
    const query = queueQuerySchema.parse(req.query);
    const queue = await openQueue(req.cohortViewer!, query.tab, query.page);
    const done =
      typeof req.query.done === 'string' ? await outcomeNotice(req.cohortViewer!, req.query.done) : undefined;
    res.render('cohorts/reflections/queue', {
      title: 'Grading queue',
      ...queue,
      tabLabel: tabLabels[query.tab],
      overdueTab: query.tab === 'overdue',
      tabs: queueTabs.map((tab) => ({
        tab,
        label: tabLabels[tab],
        count: queue.counts[tab],
        current: tab === query.tab,
      })),
      nextPage: queue.more ? query.page + 1 : undefined,
      previousPage: query.page > 1 ? query.page - 1 : undefined,
      done,
    });
  });

  router.get('/grading/:versionId', ...guard, (req, res) => renderGrading(req, res));

  router.post('/grading/:versionId', ...guard, async (req, res) => {
    const versionId = String(req.params.versionId);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const typedFeedback = typeof body.feedback === 'string' ? body.feedback : '';
    const parsed = gradeFormSchema.safeParse(body);
    if (!parsed.success) {
      res.status(400);
      return renderGrading(req, res, {
        fields: body,
        feedback: typedFeedback,
        errors: fieldErrors(parsed.error),
      });
    }
    const input = { fields: body, feedback: parsed.data.feedback };
    try {
      const outcome =
        parsed.data.action === 'return'
          ? await returnVersion(req.cohortViewer!, versionId, input)
          : await gradeVersion(req.cohortViewer!, versionId, input);
      res.redirect(
        303,
        outcome.nextId ? `/grading/${outcome.nextId}?done=${versionId}` : `/grading?done=${versionId}`,
      );
    } catch (error) {
      if (error instanceof ValidationError && Object.keys(error.fields).length) {
        res.status(400);
        return renderGrading(req, res, { fields: body, feedback: typedFeedback, errors: error.fields });
      }
      if (!(error instanceof ConflictError)) throw error;
      res.status(409).render('cohorts/reflections/conflict', {
        title: 'Not saved: this reflection changed',
        message: error.message,
        latestId: await latestVersionIdOf(req.cohortViewer!, versionId),
        feedback: typedFeedback,
      });
    }
  });

  return router;
}
