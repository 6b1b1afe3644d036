import type { Request, RequestHandler, Response, Router } from 'express';
import { ValidationError } from '../../shared/errors';
import { cohortNavFor, type OpenedCohort } from '../core';
import {
  formOfAssignment,
  parseAssignmentForm,
  typedAssignmentForm,
  type AssignmentForm,
} from './assignment.schemas';
import {
  createAssignment,
  listAssignments,
  openAssignmentCohort,
  openAssignmentForEdit,
  updateAssignment,
} from './assignment.service';
import { rubricEditorCriteria, rubricEditorLevels } from './rubric';

/** The rubric editor's rows (fixed, blanks ignored), each field with its value and error. */
function rubricRows(form: AssignmentForm, errors: Record<string, string>) {
  return Array.from({ length: rubricEditorCriteria }, (_, c) => ({
    number: c + 1,
    title: { name: `c${c}_title`, value: form[`c${c}_title`], error: errors[`c${c}_title`] },
    levels: Array.from({ length: rubricEditorLevels }, (_, l) => ({
      number: l + 1,
      label: {
        name: `c${c}_l${l}_label`,
        value: form[`c${c}_l${l}_label`],
        error: errors[`c${c}_l${l}_label`],
      },
      points: {
        name: `c${c}_l${l}_points`,
        value: form[`c${c}_l${l}_points`],
        error: errors[`c${c}_l${l}_points`],
      },
      description: {
        name: `c${c}_l${l}_description`,
        value: form[`c${c}_l${l}_description`],
        error: errors[`c${c}_l${l}_description`],
      },
    })),
  }));
}

function renderForm(
  res: Response,
  opened: OpenedCohort,
  page: { heading: string; action: string; form: AssignmentForm; errors?: Record<string, string> },
) {
  const errors = page.errors ?? {};
  const summary = Object.entries(errors).map(([field, message]) => ({ href: `#${field}`, message }));
  res.render('cohorts/reflections/assignment-form', {
    title: `${summary.length ? 'Error: ' : ''}${page.heading}`,
    heading: page.heading,
    action: page.action,
    cohortNav: cohortNavFor(opened, 'assignments'),
    timeZone: opened.cohort.timeZone,
    errors: summary,
    fieldErrors: errors,
    form: page.form,
    criteria: rubricRows(page.form, errors),
  });
}

function params(req: Request): { cohortId: string; assignmentId: string } {
  return { cohortId: String(req.params.cohortId), assignmentId: String(req.params.assignmentId ?? '') };
}

/** A service's field errors (a title already used) shown at the field, like the form's own. */
async function savingForm(
  res: Response,
  opened: OpenedCohort,
  page: { heading: string; action: string; form: AssignmentForm },
  save: () => Promise<void>,
): Promise<boolean> {
  try {
    await save();
    return true;
  } catch (error) {
    if (!(error instanceof ValidationError) || Object.keys(error.fields).length === 0) throw error;
    res.status(400);
    renderForm(res, opened, { ...page, errors: error.fields });
    return false;
  }
}

/**
 * Managers' pages of a mentoring cohort's reflection assignments: the list with where reflections stand, and the
 * new/edit form (prompt, due date and time in the cohort's zone, a rubric of up to 5 criteria × 6 levels).
 */
export function addAssignmentRoutes(router: Router, guard: RequestHandler[]): void {
  router.get('/cohorts/:cohortId/assignments', ...guard, async (req, res) => {
    const { opened, rows } = await listAssignments(req.cohortViewer!, params(req).cohortId);
    res.render('cohorts/reflections/assignments', {
      title: 'Reflection assignments',
      cohortNav: cohortNavFor(opened, 'assignments'),
      cohortId: String(opened.cohort._id),
      rows,
      saved: req.query.done === 'saved',
      timeZone: opened.cohort.timeZone,
    });
  });

  router.get('/cohorts/:cohortId/assignments/new', ...guard, async (req, res) => {
    const opened = await openAssignmentCohort(req.cohortViewer!, params(req).cohortId);
    renderForm(res, opened, {
      heading: 'New reflection assignment',
      action: `/cohorts/${String(opened.cohort._id)}/assignments/new`,
      form: typedAssignmentForm({ dueTime: '17:00' }),
    });
  });

  router.post('/cohorts/:cohortId/assignments/new', ...guard, async (req, res) => {
    const { cohortId } = params(req);
    const opened = await openAssignmentCohort(req.cohortViewer!, cohortId);
    const page = { heading: 'New reflection assignment', action: `/cohorts/${cohortId}/assignments/new` };
    const parsed = parseAssignmentForm(req.body, opened.cohort.timeZone);
    if (!parsed.ok) {
      res.status(400);
      return renderForm(res, opened, { ...page, form: parsed.form, errors: parsed.errors });
    }
    const saved = await savingForm(
      res,
      opened,
      { ...page, form: typedAssignmentForm(req.body) },
      async () => {
        await createAssignment(req.cohortViewer!, cohortId, parsed.value);
      },
    );
    if (saved) res.redirect(303, `/cohorts/${cohortId}/assignments?done=saved`);
  });

  router.get('/cohorts/:cohortId/assignments/:assignmentId/edit', ...guard, async (req, res) => {
    const { cohortId, assignmentId } = params(req);
    const { opened, assignment } = await openAssignmentForEdit(req.cohortViewer!, cohortId, assignmentId);
    renderForm(res, opened, {
      heading: `Edit “${assignment.title}”`,
      action: `/cohorts/${cohortId}/assignments/${assignmentId}/edit`,
      form: formOfAssignment(
        { ...assignment, rubric: { criteria: assignment.rubric?.criteria ?? [] } },
        opened.cohort.timeZone,
      ),
    });
  });

  router.post('/cohorts/:cohortId/assignments/:assignmentId/edit', ...guard, async (req, res) => {
    const { cohortId, assignmentId } = params(req);
    const { opened, assignment } = await openAssignmentForEdit(req.cohortViewer!, cohortId, assignmentId);
    const page = {
      heading: `Edit “${assignment.title}”`,
      action: `/cohorts/${cohortId}/assignments/${assignmentId}/edit`,
    };
    const parsed = parseAssignmentForm(req.body, opened.cohort.timeZone);
    if (!parsed.ok) {
      res.status(400);
      return renderForm(res, opened, { ...page, form: parsed.form, errors: parsed.errors });
    }
    const saved = await savingForm(
      res,
      opened,
      { ...page, form: typedAssignmentForm(req.body) },
      async () => {
        await updateAssignment(req.cohortViewer!, cohortId, assignmentId, parsed.value);
      },
    );
    if (saved) res.redirect(303, `/cohorts/${cohortId}/assignments?done=saved`);
  });
}
