import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config';
import { ValidationError } from '../../shared/errors';
import { csrfProtection } from '../../shared/http/csrf';
import { requireRole } from '../../shared/http/requireRole';
import { claimPagePath } from './activity.lookup';
import { evaluationPageFor, scalePoints, submitEvaluation } from './evaluation.service';
import { postTestPageFor, submitPostTest } from './postTest.service';
import { postTestPath } from './requirement.status';
import { activityKeyParams, answersFormSchema, attemptQuery } from './requirements.schemas';

type Refused = { answers: Record<string, string>; errors: Record<string, string> };

function summaryOf(errors: Record<string, string>) {
  return Object.entries(errors).map(([field, message]) => ({ href: `#${field}`, message }));
}

async function renderPostTest(req: Request, res: Response, refused?: Refused) {
  const { key } = activityKeyParams.parse(req.params);
  const page = await postTestPageFor(req.actor!, key);
  const errors = refused?.errors ?? {};
  const { attempt } = attemptQuery.parse(req.query);
  const result = refused ? undefined : page.attempts.find((item) => item.attempt === attempt);
  res.render('cme/requirements/postTest', {
    title: `${refused ? 'Error: ' : ''}Post-test: ${page.title}`,
    errors: summaryOf(errors),
    page,
    result,
    showForm: !page.passed,
    questions: page.questions.map((question) => ({
      ...question,
      error: errors[question.field],
      options: question.options.map((option) => ({
        ...option,
        checked: refused?.answers[question.field] === String(option.index),
      })),
    })),
  });
}

async function renderEvaluation(req: Request, res: Response, refused?: Refused) {
  const { key } = activityKeyParams.parse(req.params);
  const page = await evaluationPageFor(req.actor!, key);
  const errors = refused?.errors ?? {};
  res.render('cme/requirements/evaluation', {
    title: `${refused ? 'Error: ' : ''}Evaluation: ${page.title}`,
    errors: summaryOf(errors),
    page,
    showForm: !page.submittedAt && page.missing.length === 0,
    questions: page.questions.map((question) => ({
      ...question,
      error: errors[question.field],
      typed: refused?.answers[question.field] ?? '',
      points: scalePoints.map((point) => ({
        ...point,
        checked: refused?.answers[question.field] === point.value,
      })),
    })),
  });
}

/**
 * The learner's pages that meet two kinds of requirement (issue 13, items 1 and 3): `/cme/activities/:key/post-test`
 * (the pass mark announced before the questions; every attempt kept) and `/cme/activities/:key/evaluation` (once
 * every other requirement is met; one response per learner and activity version). Both lead back to the claim page.
 */
export function requirementsRouter({ config }: { config: Config }): Router {
  const router = Router();
  const guard = [requireRole('learner', 'instructor', 'admin'), csrfProtection(config.sessionSecret)];

  router.get('/cme/activities/:key/post-test', ...guard, (req, res) => renderPostTest(req, res));

  router.post('/cme/activities/:key/post-test', ...guard, async (req, res) => {
    const { key } = activityKeyParams.parse(req.params);
    const answers = answersFormSchema.parse(req.body ?? {});
    try {
      const { attempt } = await submitPostTest(req.actor!, key, answers);
      res.redirect(303, `${postTestPath(key)}?attempt=${attempt}#result`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      res.status(400);
      await renderPostTest(req, res, { answers, errors: error.fields });
    }
  });

  router.get('/cme/activities/:key/evaluation', ...guard, (req, res) => renderEvaluation(req, res));

  router.post('/cme/activities/:key/evaluation', ...guard, async (req, res) => {
    const { key } = activityKeyParams.parse(req.params);
    const answers = answersFormSchema.parse(req.body ?? {});
    try {
      await submitEvaluation(req.actor!, key, answers);
      res.redirect(303, `${claimPagePath(key)}?done=evaluated`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      res.status(400);
      await renderEvaluation(req, res, { answers, errors: error.fields });
    }
  });

  return router;
}
