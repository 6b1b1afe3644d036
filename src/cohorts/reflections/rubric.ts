/**
 * Rubrics, pure: criteria × levels with points. A reflection's score is the sum of the chosen levels' points; the
 * assignment's maximum is the sum of each criterion's best level (what the LMS line item is out of).
 */

export interface RubricLevel {
  label: string;
  points: number;
  description?: string | null;
}
export interface RubricCriterion {
  title: string;
  levels: RubricLevel[];
}
export interface Rubric {
  criteria: RubricCriterion[];
}

export interface ChosenLevel {
  criterion: number;
  criterionTitle: string;
  level: number;
  label: string;
  points: number;
}

/** Rows the editor offers (blank rows are ignored): up to 5 criteria of up to 6 levels. */
export const rubricEditorCriteria = 5;
export const rubricEditorLevels = 6;
export const minimumLevels = 2;

/** What a perfect reflection scores: each criterion's best level. */
export function rubricMaximum(rubric: Rubric): number {
  return rubric.criteria.reduce(
    (sum, criterion) => sum + Math.max(0, ...criterion.levels.map((level) => level.points)),
    0,
  );
}

/** The score of a set of chosen levels. */
export function scoreOf(levels: Pick<ChosenLevel, 'points'>[]): number {
  return levels.reduce((sum, level) => sum + level.points, 0);
}

/**
 * Reads the grading form's `level_<criterion>` radios against the rubric: each criterion needs one of its own
 * levels. Errors name the criterion's radio group (`level_<n>`), so the message sits at that fieldset.
 */
export function chooseLevels(
  rubric: Rubric,
  fields: Record<string, unknown>,
  options: { required: boolean },
): { levels: ChosenLevel[]; errors: Record<string, string> } {
  const levels: ChosenLevel[] = [];
  const errors: Record<string, string> = {};
  rubric.criteria.forEach((criterion, index) => {
    const field = `level_${index}`;
    const raw = fields[field];
    if (raw === undefined || raw === '') {
      if (options.required) errors[field] = `Choose a level for “${criterion.title}”.`;
      return;
    }
    const chosen = typeof raw === 'string' && /^\d+$/.test(raw) ? criterion.levels[Number(raw)] : undefined;
    if (!chosen) {
      errors[field] = `Choose one of the levels shown for “${criterion.title}”.`;
      return;
    }
    levels.push({
      criterion: index,
      criterionTitle: criterion.title,
      level: Number(raw),
      label: chosen.label,
      points: chosen.points,
    });
  });
  return { levels, errors };
}
