import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config';
import { csrfProtection } from '../../shared/http/csrf';
import { fieldErrors } from '../../shared/http/fieldErrors';
import { cohortNavFor, requireCohortViewer } from '../core';
import { answerFormSchema, answerMaxLength, promptFormSchema, promptMaxLength } from './circles.schemas';
import {
  checkInPageFor,
  checkInsPageFor,
  createPrompt,
  saveAnswer,
  stopSharingAnswer,
} from './checkIn.service';

const checkInsPath = (cohortId: string) => `/cohorts/${cohortId}/check-ins`;

/** Each form field's input id, for the error summary's links. */
const fieldIds: Record<string, string> = {
  text: 'prompt-text',
  opensDate: 'opens-date',
  opensTime: 'opens-time',
};
const answerFieldIds: Record<string, string> = { text: 'answer-text', visibility: 'visibility-private' };

const textOf = (body: unknown, name: string) => {
  const value = ((body ?? {}) as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
};

function summaryOf(errors: Record<string, string>, ids: Record<string, string>) {
  return Object.entries(errors).map(([field, message]) => ({ href: `#${ids[field] ?? field}`, message }));
}

async function renderCheckIns(
  req: Request,
  res: Response,
  refused?: { form: Record<string, string>; errors: Record<string, string> },
) {
  const page = await checkInsPageFor(req.cohortViewer!, String(req.params.cohortId));
  const errors = summaryOf(refused?.errors ?? {}, fieldIds);
  res.render('cohorts/circles/checkIns', {
    title: `${errors.length ? 'Error: ' : ''}Check-ins · ${page.opened.cohort.name}`,
    cohortNav: cohortNavFor(page.opened, 'check-ins'),
    cohortId: String(page.opened.cohort._id),
    page,
    manages: page.opened.manages && !page.opened.role,
    form: refused?.form ?? { text: '', opensDate: '', opensTime: '' },
    errors,
    fieldErrors: refused?.errors ?? {},
    promptMaxLength: promptMaxLength.toLocaleString('en-US'),
    added: !refused && req.query.done === 'added',
  });
}

async function renderCheckIn(
  req: Request,
  res: Response,
  refused?: { form: Record<string, string>; errors: Record<string, string> },
) {
  const page = await checkInPageFor(
    req.cohortViewer!,
    String(req.params.cohortId),
    String(req.params.promptId),
  );
  const errors = summaryOf(refused?.errors ?? {}, answerFieldIds);
  const mine = page.prompt.mine;
  const form = refused?.form ?? { text: mine?.text ?? '', visibility: mine?.shared ? 'shared' : 'private' };
  res.render('cohorts/circles/checkIn', {
    title: `${errors.length ? 'Error: ' : ''}Check-in · ${page.opened.cohort.name}`,
    cohortNav: cohortNavFor(page.opened, 'check-ins'),
    cohortId: String(page.opened.cohort._id),
    page,
    form,
    isShared: form.visibility === 'shared',
    errors,
    fieldErrors: refused?.errors ?? {},
    answerMaxLength: answerMaxLength.toLocaleString('en-US'),
    done: refused ? undefined : req.query.done,
  });
}

/**
 * `/cohorts/:cohortId/check-ins`: a peer circle's check-in prompts. Facilitators and instructors put prompts;
 * members answer each privately, or share with the circle (and take it back); instructors see counts only.
 */
export function checkInsRouter({ config }: { config: Config }): Router {
  const router = Router();
  const guard = [requireCohortViewer(), csrfProtection(config.sessionSecret)];
  const list = '/cohorts/:cohortId/check-ins';
  const one = '/cohorts/:cohortId/check-ins/:promptId';

  router.get(list, ...guard, (req, res) => renderCheckIns(req, res));

  router.post(list, ...guard, async (req, res) => {
    const parsed = promptFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400);
      const form = {
        text: textOf(req.body, 'text'),
        opensDate: textOf(req.body, 'opensDate'),
        opensTime: textOf(req.body, 'opensTime'),
      };
      return renderCheckIns(req, res, { form, errors: fieldErrors(parsed.error) });
    }
    const cohortId = String(req.params.cohortId);
    await createPrompt(req.cohortViewer!, cohortId, parsed.data);
    res.redirect(303, `${checkInsPath(cohortId)}?done=added`);
  });

  router.get(one, ...guard, (req, res) => renderCheckIn(req, res));

  router.post(one, ...guard, async (req, res) => {
    const parsed = answerFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400);
      const form = { text: textOf(req.body, 'text'), visibility: textOf(req.body, 'visibility') };
      return renderCheckIn(req, res, { form, errors: fieldErrors(parsed.error) });
    }
    const { cohortId, promptId } = {
      cohortId: String(req.params.cohortId),
      promptId: String(req.params.promptId),
    };
    await saveAnswer(req.cohortViewer!, cohortId, promptId, parsed.data);
    res.redirect(303, `${checkInsPath(cohortId)}/${promptId}?done=${parsed.data.visibility}`);
  });

  router.post(`${one}/unshare`, ...guard, async (req, res) => {
    const { cohortId, promptId } = {
      cohortId: String(req.params.cohortId),
      promptId: String(req.params.promptId),
    };
    await stopSharingAnswer(req.cohortViewer!, cohortId, promptId);
    res.redirect(303, `${checkInsPath(cohortId)}/${promptId}?done=unshared`);
  });

  return router;
}
