import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config';
import { ConflictError, ValidationError } from '../../shared/errors';
import { csrfProtection } from '../../shared/http/csrf';
import { fieldErrors } from '../../shared/http/fieldErrors';
import { cohortNavFor, requireCohortViewer, type OpenedCohort } from '../core';
import { goalFormPageFor, planPageFor, type GoalFormValues } from './plan.page';
import {
  agreementFormSchema,
  goalFormSchema,
  milestoneFormSchema,
  milestoneRowLimit,
  removeGoalFormSchema,
} from './plan.schemas';
import { addGoal, removeGoal, saveAgreement, setMilestoneDone, updateGoal } from './plan.service';

const paramOf = (req: Request, name: string): string => {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
};
const typed = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

/** The cohort's navigation without a current page: a pair's plan is none of its entries. */
function navOf(opened: OpenedCohort) {
  const nav = cohortNavFor(opened, 'overview');
  return { ...nav, links: nav.links.map((link) => ({ ...link, current: false })) };
}

const agreementIds: Record<string, string> = {
  meetingCadence: 'meeting-cadence',
  expectations: 'expectations',
  confidentiality: 'confidentiality',
  revision: 'meeting-cadence',
};

function goalFieldId(field: string): string {
  const row = /^milestone(Title|Date)(\d+)$/.exec(field);
  if (row) return `milestone-${row[1]!.toLowerCase()}-${row[2]}`;
  return field === 'description' ? 'goal-description' : 'goal-title';
}

const pairPath = (req: Request) => `/cohorts/${paramOf(req, 'cohortId')}/pairs/${paramOf(req, 'pairId')}`;

async function renderPlan(
  req: Request,
  res: Response,
  refused?: { agreement: Record<string, string>; errors: Record<string, string> },
) {
  const page = await planPageFor(req.cohortViewer!, paramOf(req, 'cohortId'), paramOf(req, 'pairId'));
  const errors = refused?.errors ?? {};
  const summary = Object.entries(errors).map(([field, message]) => ({
    href: `#${agreementIds[field] ?? 'meeting-cadence'}`,
    message,
  }));
  res.render('cohorts/plans/pair', {
    title: `${summary.length ? 'Error: ' : ''}Mentoring plan: ${page.mentorName} and ${page.menteeName}`,
    cohortNav: navOf(page.opened),
    pairPath: pairPath(req),
    errors: summary,
    fieldErrors: errors,
    saved: !refused && typeof req.query.done === 'string',
    ...page,
    agreement: refused ? { ...refused.agreement, revision: page.agreement.revision } : page.agreement,
    readOnly: !page.canEdit,
  });
}

/** The goal form as typed, so a refused form shows it again (rows keep their numbers: errors point at them). */
function typedGoal(body: unknown): GoalFormValues {
  const rows = Array.from({ length: milestoneRowLimit }, (_, index) => ({
    index,
    id: typed(body, `milestoneId${index}`),
    title: typed(body, `milestoneTitle${index}`),
    targetDate: typed(body, `milestoneDate${index}`),
    done: typed(body, `milestoneDone${index}`) === 'yes',
  }));
  const lastFilled = rows.reduce((last, row) => (row.title || row.targetDate ? row.index : last), -1);
  const shown = Math.min(milestoneRowLimit, Math.max(3, lastFilled + 2));
  return { title: typed(body, 'title'), description: typed(body, 'description'), rows: rows.slice(0, shown) };
}

async function renderGoalForm(
  req: Request,
  res: Response,
  refused?: { form: GoalFormValues; errors: Record<string, string> },
) {
  const goalId = paramOf(req, 'goalId') || undefined;
  const page = await goalFormPageFor(
    req.cohortViewer!,
    paramOf(req, 'cohortId'),
    paramOf(req, 'pairId'),
    goalId,
  );
  const errors = refused?.errors ?? {};
  const form = refused ? { ...refused.form, revision: page.form.revision } : page.form;
  const summary = Object.entries(errors).map(([field, message]) => ({
    href: `#${goalFieldId(field)}`,
    message,
  }));
  const heading = goalId ? 'Edit goal' : 'New goal';
  res.render('cohorts/plans/goal', {
    title: `${summary.length ? 'Error: ' : ''}${heading} · ${page.mentorName} and ${page.menteeName}`,
    heading,
    cohortNav: navOf(page.opened),
    pairPath: pairPath(req),
    action: goalId ? `${pairPath(req)}/goals/${goalId}` : `${pairPath(req)}/goals`,
    mentorName: page.mentorName,
    menteeName: page.menteeName,
    errors: summary,
    form: {
      ...form,
      rows: form.rows.map((row) => ({
        ...row,
        number: row.index + 1,
        titleError: errors[`milestoneTitle${row.index}`],
        dateError: errors[`milestoneDate${row.index}`],
      })),
    },
    fieldErrors: errors,
  });
}

/**
 * `/cohorts/:cohortId/pairs/:pairId`: a pair's mentoring agreement and the mentee's goals with milestones, with
 * the history of every change. The pair's two people edit; the cohort's managers read.
 */
export function plansRouter({ config }: { config: Config }): Router {
  const router = Router();
  const guard = [requireCohortViewer(), csrfProtection(config.sessionSecret)];
  const base = '/cohorts/:cohortId/pairs/:pairId';

  router.get(base, ...guard, (req, res) => renderPlan(req, res));

  router.post(`${base}/agreement`, ...guard, async (req, res) => {
    const agreement = {
      meetingCadence: typed(req.body, 'meetingCadence'),
      expectations: typed(req.body, 'expectations'),
      confidentiality: typed(req.body, 'confidentiality'),
    };
    const parsed = agreementFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400);
      return renderPlan(req, res, { agreement, errors: fieldErrors(parsed.error) });
    }
    try {
      await saveAgreement(req.cohortViewer!, paramOf(req, 'cohortId'), paramOf(req, 'pairId'), parsed.data);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      res.status(409);
      return renderPlan(req, res, { agreement, errors: { meetingCadence: error.message } });
    }
    res.redirect(303, `${pairPath(req)}?done=agreement#agreement`);
  });

  router.get(`${base}/goals/new`, ...guard, (req, res) => renderGoalForm(req, res));
  router.get(`${base}/goals/:goalId/edit`, ...guard, (req, res) => renderGoalForm(req, res));

  router.post(`${base}/goals`, ...guard, async (req, res) => {
    const parsed = goalFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400);
      return renderGoalForm(req, res, { form: typedGoal(req.body), errors: fieldErrors(parsed.error) });
    }
    await addGoal(req.cohortViewer!, paramOf(req, 'cohortId'), paramOf(req, 'pairId'), parsed.data);
    res.redirect(303, `${pairPath(req)}?done=goal#goals`);
  });

  router.post(`${base}/goals/:goalId`, ...guard, async (req, res) => {
    const parsed = goalFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400);
      return renderGoalForm(req, res, { form: typedGoal(req.body), errors: fieldErrors(parsed.error) });
    }
    const ids = [paramOf(req, 'cohortId'), paramOf(req, 'pairId'), paramOf(req, 'goalId')] as const;
    try {
      await updateGoal(req.cohortViewer!, ...ids, parsed.data);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      res.status(409);
      return renderGoalForm(req, res, { form: typedGoal(req.body), errors: { title: error.message } });
    }
    res.redirect(303, `${pairPath(req)}?done=goal#goals`);
  });

  router.post(`${base}/goals/:goalId/remove`, ...guard, async (req, res) => {
    const parsed = removeGoalFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new ValidationError('Reload the page and try again.');
    const { revision } = parsed.data;
    const ids = {
      cohortId: paramOf(req, 'cohortId'),
      pairId: paramOf(req, 'pairId'),
      goalId: paramOf(req, 'goalId'),
    };
    await removeGoal(req.cohortViewer!, ids, revision);
    res.redirect(303, `${pairPath(req)}?done=removed#goals`);
  });

  router.post(`${base}/goals/:goalId/milestones/:milestoneId`, ...guard, async (req, res) => {
    const parsed = milestoneFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new ValidationError('Reload the page and try again.');
    const change = parsed.data;
    const ids = {
      cohortId: paramOf(req, 'cohortId'),
      pairId: paramOf(req, 'pairId'),
      goalId: paramOf(req, 'goalId'),
      milestoneId: paramOf(req, 'milestoneId'),
    };
    await setMilestoneDone(req.cohortViewer!, ids, change);
    res.redirect(303, `${pairPath(req)}?done=milestone#goal-${ids.goalId}`);
  });

  return router;
}
