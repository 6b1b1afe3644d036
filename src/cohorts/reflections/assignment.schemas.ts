import { DateTime } from 'luxon';
import { z } from 'zod';
import { fieldErrors } from '../../shared/http/fieldErrors';
import {
  minimumLevels,
  rubricEditorCriteria,
  rubricEditorLevels,
  type Rubric,
  type RubricCriterion,
} from './rubric';

/** The assignment form's plain fields (the rubric rows are read by `readRubric`). */
const assignmentFieldsSchema = z.object({
  title: z
    .string({ error: 'Enter a title.' })
    .trim()
    .min(1, 'Enter a title.')
    .max(120, 'Keep the title under 120 characters.'),
  prompt: z
    .string({ error: 'Enter the prompt mentees answer.' })
    .trim()
    .min(1, 'Enter the prompt mentees answer.')
    .max(4000, 'Keep the prompt under 4,000 characters.'),
  dueDate: z
    .string({ error: 'Enter the due date, like 2026-03-31.' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the due date, like 2026-03-31.'),
  dueTime: z
    .string({ error: 'Enter the time it is due, like 17:00.' })
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Enter the time it is due, like 17:00 (24-hour clock).'),
});

export interface AssignmentInput {
  title: string;
  prompt: string;
  rubric: Rubric;
  dueAt: Date;
}

/** What the form showed, as typed, so a refused form keeps everything. */
export type AssignmentForm = Record<string, string>;

function text(fields: Record<string, unknown>, name: string): string {
  const value = fields[name];
  return typeof value === 'string' ? value : '';
}

/** Every field name of the form, rubric rows included: `c<i>_title`, `c<i>_l<j>_label|points|description`. */
export function assignmentFieldNames(): string[] {
  const names = ['title', 'prompt', 'dueDate', 'dueTime'];
  for (let c = 0; c < rubricEditorCriteria; c++) {
    names.push(`c${c}_title`);
    for (let l = 0; l < rubricEditorLevels; l++) {
      names.push(`c${c}_l${l}_label`, `c${c}_l${l}_points`, `c${c}_l${l}_description`);
    }
  }
  return names;
}

/** The typed form, every field a string. */
export function typedAssignmentForm(body: unknown): AssignmentForm {
  const fields = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(assignmentFieldNames().map((name) => [name, text(fields, name)]));
}

/**
 * The rubric rows: blank rows are ignored; a row with anything in it needs a title (criterion) or a label and
 * points (level); each criterion 2–6 levels, points whole or decimal numbers from 0 to 1,000.
 */
function readRubric(form: AssignmentForm, errors: Record<string, string>): Rubric {
  const criteria: RubricCriterion[] = [];
  for (let c = 0; c < rubricEditorCriteria; c++) {
    const title = form[`c${c}_title`]!.trim();
    const levels: RubricCriterion['levels'] = [];
    let anyLevel = false;
    for (let l = 0; l < rubricEditorLevels; l++) {
      const label = form[`c${c}_l${l}_label`]!.trim();
      const pointsText = form[`c${c}_l${l}_points`]!.trim();
      const description = form[`c${c}_l${l}_description`]!.trim();
      if (!label && !pointsText && !description) continue;
      anyLevel = true;
      const points = Number(pointsText);
      if (!label) errors[`c${c}_l${l}_label`] ??= 'Name this level, like “Proficient”.';
      else if (label.length > 80) errors[`c${c}_l${l}_label`] ??= 'Keep the level name under 80 characters.';
      if (pointsText === '' || !Number.isFinite(points) || points < 0 || points > 1000) {
        errors[`c${c}_l${l}_points`] ??= 'Enter the points for this level: a number from 0 to 1,000.';
      }
      if (description.length > 500)
        errors[`c${c}_l${l}_description`] ??= 'Keep the description under 500 characters.';
      levels.push({ label, points: Number.isFinite(points) ? points : 0, description });
    }
    if (!title && !anyLevel) continue;
    if (!title) errors[`c${c}_title`] ??= 'Name this criterion, or clear its levels.';
    else if (title.length > 120) errors[`c${c}_title`] ??= 'Keep the criterion under 120 characters.';
    if (levels.length < minimumLevels) {
      errors[`c${c}_l0_label`] ??= `Give “${title || 'this criterion'}” at least ${minimumLevels} levels.`;
    }
    criteria.push({ title, levels });
  }
  if (criteria.length === 0) errors.c0_title ??= 'Add at least one rubric criterion with its levels.';
  return { criteria };
}

/**
 * Reads the assignment form: fields, rubric, and the due date and time as an instant in the cohort's zone.
 * Errors are keyed by field name (each field's id is its name).
 */
export function parseAssignmentForm(
  body: unknown,
  timeZone: string,
):
  { ok: true; value: AssignmentInput } | { ok: false; form: AssignmentForm; errors: Record<string, string> } {
  const form = typedAssignmentForm(body);
  const parsed = assignmentFieldsSchema.safeParse(form);
  const errors: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error);
  const rubric = readRubric(form, errors);
  let dueAt: Date | undefined;
  if (parsed.success) {
    const due = DateTime.fromISO(`${parsed.data.dueDate}T${parsed.data.dueTime}`, { zone: timeZone });
    if (!due.isValid) errors.dueDate = 'Enter a real date, like 2026-03-31.';
    else dueAt = due.toJSDate();
  }
  if (!parsed.success || Object.keys(errors).length > 0 || !dueAt) return { ok: false, form, errors };
  return { ok: true, value: { title: parsed.data.title, prompt: parsed.data.prompt, rubric, dueAt } };
}

/** The form filled from a stored assignment, for editing. */
export function formOfAssignment(
  assignment: { title: string; prompt: string; rubric: Rubric; dueAt: Date },
  timeZone: string,
): AssignmentForm {
  const form = typedAssignmentForm({});
  const due = DateTime.fromJSDate(assignment.dueAt).setZone(timeZone);
  form.title = assignment.title;
  form.prompt = assignment.prompt;
  form.dueDate = due.toISODate()!;
  form.dueTime = due.toFormat('HH:mm');
  assignment.rubric.criteria.slice(0, rubricEditorCriteria).forEach((criterion, c) => {
    form[`c${c}_title`] = criterion.title;
    criterion.levels.slice(0, rubricEditorLevels).forEach((level, l) => {
      form[`c${c}_l${l}_label`] = level.label;
      form[`c${c}_l${l}_points`] = String(level.points);
      form[`c${c}_l${l}_description`] = level.description ?? '';
    });
  });
  return form;
}
