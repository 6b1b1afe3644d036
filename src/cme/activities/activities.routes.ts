import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import { NotFoundError, ValidationError } from '../../shared/errors';
import { csrfProtection } from '../../shared/http/csrf';
import { requireCmeAdmin } from '../core';
import { inputFromForm, readActivityForm, type ActivityForm } from './activity.form';
import { activityFormOf, blankActivityForm, withBlankRows, withUsualWording } from './activity.formDefaults';
import { activityFormView, errorSummaryOf } from './activity.formView';
import { activityListFor, activityPageFor, formChoicesFor } from './activity.pages';
import { activityKeyPattern } from './activity.schemas';
import {
  closeActivity,
  createActivity,
  NotReadyToPublishError,
  publishActivity,
  saveDraft,
  startNewVersion,
} from './activity.service';

const basePath = '/cme/admin/activities';
const keyParam = z.object({ key: z.string().regex(activityKeyPattern) });
const versionParam = keyParam.extend({ version: z.coerce.number().int().min(1).max(100000) });

const doneMessages: Record<string, string> = {
  created: 'Draft saved. Publish it when it is ready.',
  saved: 'Draft saved.',
  published: 'Published: learners can claim credit under this version now.',
  closed: 'Closed: learners can no longer claim credit. Claims made and their certificates stay valid.',
  'new-version':
    'A new draft version was made from the published one. Learners claim under the published version until you publish this one.',
};

/** The key in the URL, or 404 (a malformed key names nothing). */
function keyOf(req: Request): string {
  const parsed = keyParam.safeParse(req.params);
  if (!parsed.success) throw new NotFoundError('We could not find that CME activity.');
  return parsed.data.key;
}

/** The new-activity or draft form, with its errors (a refused save shows everything as typed). */
async function renderForm(
  req: Request,
  res: Response,
  page: { key?: string; form: ActivityForm; errors?: Record<string, string> },
) {
  const admin = req.cmeAdmin!;
  const errors = page.errors ?? {};
  const details = page.key ? await activityPageFor(admin, page.key) : null;
  const choices = details?.choices ?? (await formChoicesFor(admin.tenantId));
  const summary = errorSummaryOf(errors, choices);
  const heading = page.key ? `Edit draft: ${details!.activity.title}` : 'New CME activity';
  res.render('cme/activities/form', {
    title: summary.length ? `Error: ${heading}` : heading,
    heading,
    errors: summary,
    done: doneMessages[String(req.query.done ?? '')],
    action: page.key ? `${basePath}/${page.key}` : `${basePath}/new`,
    activity: details?.activity,
    claimableVersion: details?.versions.find((row) => row.statusClass === 'published')?.version,
    versions: details?.versions,
    canClose: details?.canClose,
    ...activityFormView(withBlankRows(page.form), errors, choices),
  });
}

/** A save refused field by field: re-render with each message at its field (400). */
async function refuse(
  req: Request,
  res: Response,
  key: string | undefined,
  form: ActivityForm,
  error: unknown,
) {
  if (!(error instanceof ValidationError)) throw error;
  const { fieldFor } = inputFromForm(form);
  const errors: Record<string, string> = {};
  for (const [path, message] of Object.entries(error.fields)) errors[fieldFor(path)] ??= message;
  res.status(400);
  return renderForm(req, res, { key, form, errors });
}

/**
 * `/cme/admin/activities`: a CME admin's activities (their tenant only): list, new, the newest version of each
 * (edit a draft, publish, close, start a new version of a published one) and every earlier version, read-only.
 */
export function activitiesRouter({ config }: { config: Config }): Router {
  const router = Router();
  const guard = [requireCmeAdmin(), csrfProtection(config.sessionSecret)];

  router.get(basePath, ...guard, async (req, res) => {
    res.render('cme/activities/list', {
      title: 'CME activities',
      activities: await activityListFor(req.cmeAdmin!),
    });
  });

  router.get(`${basePath}/new`, ...guard, (req, res) => renderForm(req, res, { form: blankActivityForm() }));

  router.post(`${basePath}/new`, ...guard, async (req, res) => {
    const form = readActivityForm(req.body);
    if (req.body?.action === 'wording') return renderForm(req, res, { form: withUsualWording(form) });
    try {
      const created = await createActivity(req.cmeAdmin!, inputFromForm(form).input);
      res.redirect(303, `${basePath}/${created.key}?done=created`);
    } catch (error) {
      await refuse(req, res, undefined, form, error);
    }
  });

  router.get(`${basePath}/:key`, ...guard, async (req, res) => {
    const key = keyOf(req);
    const page = await activityPageFor(req.cmeAdmin!, key);
    if (page!.canEdit) return renderForm(req, res, { key, form: activityFormOf(page!.activity) });
    res.render('cme/activities/show', {
      title: page!.activity.title,
      done: doneMessages[String(req.query.done ?? '')],
      ...page,
    });
  });

  router.get(`${basePath}/:key/versions/:version`, ...guard, async (req, res) => {
    const parsed = versionParam.safeParse(req.params);
    if (!parsed.success) throw new NotFoundError('We could not find that version.');
    const page = await activityPageFor(req.cmeAdmin!, parsed.data.key, parsed.data.version);
    if (!page) throw new NotFoundError('We could not find that version.');
    res.render('cme/activities/show', {
      title: `${page.activity.title}, version ${page.activity.version}`,
      ...page,
    });
  });

  router.post(`${basePath}/:key`, ...guard, async (req, res) => {
    const key = keyOf(req);
    const form = readActivityForm(req.body);
    if (req.body?.action === 'wording') return renderForm(req, res, { key, form: withUsualWording(form) });
    try {
      await saveDraft(req.cmeAdmin!, key, inputFromForm(form).input);
      res.redirect(303, `${basePath}/${key}?done=saved`);
    } catch (error) {
      await refuse(req, res, key, form, error);
    }
  });

  router.post(`${basePath}/:key/publish`, ...guard, async (req, res) => {
    const key = keyOf(req);
    try {
      await publishActivity(req.cmeAdmin!, key);
      res.redirect(303, `${basePath}/${key}?done=published`);
    } catch (error) {
      if (!(error instanceof NotReadyToPublishError)) throw error;
      const page = await activityPageFor(req.cmeAdmin!, key);
      const form = activityFormOf(page!.activity);
      const { fieldFor } = inputFromForm(form);
      const errors: Record<string, string> = {};
      for (const problem of error.problems) errors[fieldFor(problem.field)] ??= problem.message;
      res.status(400);
      await renderForm(req, res, { key, form, errors });
    }
  });

  router.post(`${basePath}/:key/close`, ...guard, async (req, res) => {
    const key = keyOf(req);
    await closeActivity(req.cmeAdmin!, key);
    res.redirect(303, `${basePath}/${key}?done=closed`);
  });

  router.post(`${basePath}/:key/new-version`, ...guard, async (req, res) => {
    const key = keyOf(req);
    await startNewVersion(req.cmeAdmin!, key);
    res.redirect(303, `${basePath}/${key}?done=new-version`);
  });

  return router;
}
