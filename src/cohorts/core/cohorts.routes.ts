import { Router, type Response } from 'express';
import type { Config } from '../../config';
import { ValidationError } from '../../shared/errors';
import { csrfProtection } from '../../shared/http/csrf';
import { fieldErrors } from '../../shared/http/fieldErrors';
import { cohortNavFor } from './cohort.nav';
import type { OpenedCohort } from './cohort.access';
import { joinCourseCohorts } from './cohort.roster';
import { archiveSchema, cohortFormSchema } from './cohort.schemas';
import {
  cohortFormOf,
  cohortListFor,
  createCohort,
  kindLabels,
  moduleChoices,
  newCohortForm,
  setCohortArchived,
  settingsPageFor,
  updateCohort,
  type CohortFormValues,
} from './cohort.service';
import { requireCohortViewer } from './cohortViewer';

/** Each form field's input id, for the error summary's links. */
const fieldIds: Record<string, string> = {
  name: 'cohort-name',
  description: 'cohort-description',
  kind: 'kind-mentoring',
  timeZone: 'time-zone',
  startDate: 'start-date',
  endDate: 'end-date',
  capacityPerMentor: 'capacity-per-mentor',
  moduleSlugs: 'modules',
  groundRules: 'ground-rules',
  rosterMode: 'roster-course',
};

/** Every IANA zone the runtime knows, for the time zone field's suggestions. */
const timeZones = Intl.supportedValuesOf('timeZone');

/** The form as typed, so a refused form shows everything again. */
function typedForm(body: unknown, kind?: string): CohortFormValues {
  const fields = (body ?? {}) as Record<string, unknown>;
  const text = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : '');
  const slugs = fields.moduleSlugs;
  return {
    name: text('name'),
    description: text('description'),
    kind: kind ?? text('kind'),
    timeZone: text('timeZone'),
    startDate: text('startDate'),
    endDate: text('endDate'),
    capacityPerMentor: text('capacityPerMentor'),
    moduleSlugs: Array.isArray(slugs)
      ? slugs.filter((s) => typeof s === 'string')
      : typeof slugs === 'string'
        ? [slugs]
        : [],
    groundRules: text('groundRules'),
    rosterMode: text('rosterMode'),
  };
}

interface FormPage {
  creating: boolean;
  form: CohortFormValues;
  modules: Array<{ slug: string; title: string }>;
  errors?: Record<string, string>;
  opened?: OpenedCohort;
  notice?: string;
}

function renderForm(res: Response, page: FormPage) {
  const errors = page.errors ?? {};
  const summary = Object.entries(errors).map(([field, message]) => ({
    href: `#${fieldIds[field] ?? 'cohort-name'}`,
    message,
  }));
  const heading = page.creating ? 'New cohort' : 'Cohort settings';
  const checked = new Set(page.form.moduleSlugs);
  res.render('cohorts/core/form', {
    title: summary.length ? `Error: ${heading}` : heading,
    heading,
    creating: page.creating,
    action: page.opened ? `/cohorts/${String(page.opened.cohort._id)}/settings` : '/cohorts/new',
    ...(page.opened
      ? {
          cohortNav: cohortNavFor(page.opened, 'settings'),
          cohortId: String(page.opened.cohort._id),
          archived: page.opened.cohort.archived,
          kindLabel: kindLabels[page.opened.cohort.kind],
        }
      : {}),
    mentoring: page.form.kind !== 'peer-circle',
    showCapacity: page.creating || page.form.kind === 'mentoring',
    showGroundRules: page.creating || page.form.kind === 'peer-circle',
    errors: summary,
    fieldErrors: errors,
    form: page.form,
    modules: page.modules.map((module) => ({ ...module, checked: checked.has(module.slug) })),
    timeZones,
    notice: page.notice,
  });
}

/** A refusal the service found (name taken, unknown module) as field errors; anything else goes on up. */
function fieldsOf(error: unknown): Record<string, string> | undefined {
  return error instanceof ValidationError && Object.keys(error.fields).length > 0 ? error.fields : undefined;
}

const notices: Record<string, string> = {
  created: 'Cohort created.',
  saved: 'Settings saved.',
  archived: 'Cohort archived. Its members no longer see it in their list; its history is kept.',
  restored: 'Cohort brought back from the archive.',
};

/**
 * The cohorts' own pages (issue 12, item 1): the list of the viewer's cohorts, creating one, and its settings.
 * The people page is `peopleRouter`.
 */
export function cohortsRouter({ config }: { config: Config }): Router {
  const router = Router();
  const guard = [requireCohortViewer(), csrfProtection(config.sessionSecret)];

  router.get('/cohorts', ...guard, async (req, res) => {
    const viewer = req.cohortViewer!;
    // Learners join their course's open cohorts on arrival, before any roster sync has run.
    await joinCourseCohorts(viewer);
    const list = await cohortListFor(viewer);
    res.render('cohorts/core/list', {
      title: 'Cohorts',
      ...list,
      external: Boolean(viewer.grantedCohortIds),
    });
  });

  router.get('/cohorts/new', ...guard, async (req, res) => {
    const form = await newCohortForm(req.cohortViewer!);
    renderForm(res, { creating: true, form, modules: await moduleChoices(req.cohortViewer!.tenantId) });
  });

  router.post('/cohorts/new', ...guard, async (req, res) => {
    const viewer = req.cohortViewer!;
    const modules = await moduleChoices(viewer.tenantId);
    const parsed = cohortFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400);
      return renderForm(res, {
        creating: true,
        form: typedForm(req.body),
        modules,
        errors: fieldErrors(parsed.error),
      });
    }
    try {
      const cohortId = await createCohort(viewer, parsed.data);
      res.redirect(303, `/cohorts/${cohortId}/settings?done=created`);
    } catch (error) {
      const errors = fieldsOf(error);
      if (!errors) throw error;
      res.status(400);
      renderForm(res, { creating: true, form: typedForm(req.body), modules, errors });
    }
  });

  router.get('/cohorts/:cohortId/settings', ...guard, async (req, res) => {
    const { opened, modules } = await settingsPageFor(req.cohortViewer!, String(req.params.cohortId));
    const done = typeof req.query.done === 'string' ? req.query.done : '';
    renderForm(res, {
      creating: false,
      form: cohortFormOf(opened.cohort),
      modules,
      opened,
      notice: notices[done],
    });
  });

  router.post('/cohorts/:cohortId/settings', ...guard, async (req, res) => {
    const viewer = req.cohortViewer!;
    const cohortId = String(req.params.cohortId);
    const { opened, modules } = await settingsPageFor(viewer, cohortId);
    // The kind is fixed at creation: the form does not send it, the cohort does.
    const kind = opened.cohort.kind;
    const parsed = cohortFormSchema.safeParse({ ...(req.body ?? {}), kind });
    const refused = (errors: Record<string, string>) => {
      res.status(400);
      renderForm(res, { creating: false, form: typedForm(req.body, kind), modules, opened, errors });
    };
    if (!parsed.success) return refused(fieldErrors(parsed.error));
    try {
      await updateCohort(viewer, cohortId, parsed.data);
      res.redirect(303, `/cohorts/${cohortId}/settings?done=saved`);
    } catch (error) {
      const errors = fieldsOf(error);
      if (!errors) throw error;
      refused(errors);
    }
  });

  router.post('/cohorts/:cohortId/settings/archive', ...guard, async (req, res) => {
    const parsed = archiveSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new ValidationError('Choose whether to archive the cohort or bring it back.');
    const archived = parsed.data.archived === 'yes';
    await setCohortArchived(req.cohortViewer!, String(req.params.cohortId), archived);
    res.redirect(
      303,
      `/cohorts/${String(req.params.cohortId)}/settings?done=${archived ? 'archived' : 'restored'}`,
    );
  });

  return router;
}
