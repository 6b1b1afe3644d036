import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config';
import { csrfProtection } from '../../shared/http/csrf';
import { fieldErrors } from '../../shared/http/fieldErrors';
import { cohortNavFor, requireCohortViewer } from '../core';
import { addAssignmentRoutes } from './assignments.routes';
import { courseReflectionKey } from './assignmentLink.model';
import { landReflectionLaunch, type ReflectionLaunch } from './landing.service';
import { reflectionTextMaxLength } from './reflection.model';
import { autosaveSchema, normaliseText, reflectionFormSchema } from './reflection.schemas';
import {
  autosaveDraft,
  listMyReflections,
  openMyReflection,
  saveDraft,
  submitReflection,
} from './reflection.service';

function ids(req: Request) {
  return { cohortId: String(req.params.cohortId), assignmentId: String(req.params.assignmentId) };
}

async function renderWriting(
  req: Request,
  res: Response,
  refused?: { text: string; errors: Record<string, string> },
) {
  const { cohortId, assignmentId } = ids(req);
  const page = await openMyReflection(req.cohortViewer!, cohortId, assignmentId);
  const errors = refused?.errors ?? {};
  const summary = Object.entries(errors).map(([, message]) => ({ href: '#reflection-text', message }));
  const base = `/cohorts/${cohortId}/reflections/${assignmentId}`;
  res.render('cohorts/reflections/write', {
    title: `${summary.length ? 'Error: ' : ''}${page.assignment.title}`,
    cohortNav: cohortNavFor(page.opened, 'reflections'),
    ...page,
    prompt: page.assignment.prompt,
    heading: page.assignment.title,
    criteria: page.assignment.rubric?.criteria ?? [],
    scoreMaximum: page.assignment.scoreMaximum,
    text: refused ? refused.text : page.draftText,
    errors: summary,
    fieldErrors: errors,
    action: base,
    draftUrl: `${base}/draft`,
    maxLength: reflectionTextMaxLength.toLocaleString('en-US'),
    notice:
      req.query.done === 'saved'
        ? 'Draft saved. Only you can see it until you submit.'
        : req.query.done === 'submitted'
          ? 'Submitted. Your mentor sees it in their grading queue.'
          : '',
  });
}

/**
 * Reflections: managers' assignment pages, the mentee's reflections (draft with autosave, submit, revise, every
 * version with its feedback), and where LMS launches of placed reflections land (`/targets/reflection/:id`,
 * mounted before the targets' placeholder pages).
 */
export function reflectionsRouter({ config }: { config: Config }): Router {
  const router = Router();
  const guard = [requireCohortViewer(), csrfProtection(config.sessionSecret)];
  addAssignmentRoutes(router, guard);

  router.get('/cohorts/:cohortId/reflections', ...guard, async (req, res) => {
    const { opened, rows, timeZone } = await listMyReflections(
      req.cohortViewer!,
      String(req.params.cohortId),
    );
    res.render('cohorts/reflections/mine', {
      title: 'My reflections',
      cohortNav: cohortNavFor(opened, 'reflections'),
      cohortId: String(opened.cohort._id),
      rows,
      timeZone,
    });
  });

  router.get('/cohorts/:cohortId/reflections/:assignmentId', ...guard, (req, res) => renderWriting(req, res));

  router.post('/cohorts/:cohortId/reflections/:assignmentId', ...guard, async (req, res) => {
    const { cohortId, assignmentId } = ids(req);
    const parsed = reflectionFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const typed = (req.body as Record<string, unknown> | undefined)?.text;
      res.status(400);
      return renderWriting(req, res, {
        text: typeof typed === 'string' ? normaliseText(typed) : '',
        errors: fieldErrors(parsed.error),
      });
    }
    if (parsed.data.action === 'submit') {
      await submitReflection(req.cohortViewer!, cohortId, assignmentId, parsed.data.text);
      return res.redirect(303, `/cohorts/${cohortId}/reflections/${assignmentId}?done=submitted`);
    }
    await saveDraft(req.cohortViewer!, cohortId, assignmentId, parsed.data.text);
    res.redirect(303, `/cohorts/${cohortId}/reflections/${assignmentId}?done=saved`);
  });

  // The autosave script's endpoint (JSON): 400 for a text over the limit (nothing cut), 409 for a stale revision.
  router.post('/cohorts/:cohortId/reflections/:assignmentId/draft', ...guard, async (req, res) => {
    const { cohortId, assignmentId } = ids(req);
    const parsed = autosaveSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const message = fieldErrors(parsed.error).text ?? 'This draft could not be saved.';
      return res.status(400).json({ error: { code: 'validation_failed', message } });
    }
    res.json(await autosaveDraft(req.cohortViewer!, cohortId, assignmentId, parsed.data));
  });

  router.get('/targets/reflection/:id', requireCohortViewer(), async (req, res) => {
    const id = String(req.params.id);
    const actor = req.actor;
    // Only the launch that opened exactly this reflection says which LMS activity stands for it.
    const launch: ReflectionLaunch | undefined =
      actor && !req.account && actor.resourceLinkId && actor.target === `reflection:${id}`
        ? { courseId: actor.courseId, resourceLinkId: actor.resourceLinkId }
        : undefined;
    const landing = await landReflectionLaunch(req.cohortViewer!, id, launch);
    if ('redirect' in landing) return res.redirect(303, landing.redirect);
    res.render('cohorts/reflections/landing', {
      title: landing.page.heading,
      ...landing.page,
      courseReflection: id === courseReflectionKey,
    });
  });

  return router;
}
