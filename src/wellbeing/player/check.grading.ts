import type { ModuleStep } from '../content';

export type CheckStep = Extract<ModuleStep, { kind: 'check' }>;

/** Chosen option ids by question id. */
export type CheckAnswers = Record<string, string[]>;

export interface CheckResult {
  correctCount: number;
  passed: boolean;
  /** Question ids answered exactly right. */
  correct: Set<string>;
}

/** The form field of a question: `q_<question id>` (ids are lowercase letters, digits and hyphens). */
export const questionField = (questionId: string) => `q_${questionId}`;

/**
 * Reads a check's answers from a submitted form: only option ids the question has count. A question left
 * unanswered (or a single-choice question given several answers) gets an error, so the form comes back with the
 * other answers kept.
 */
export function readCheckAnswers(
  step: CheckStep,
  body: Record<string, unknown>,
): { answers: CheckAnswers; errors: Record<string, string> } {
  const answers: CheckAnswers = {};
  const errors: Record<string, string> = {};
  for (const question of step.questions) {
    const raw = body[questionField(question.id)];
    const given = (Array.isArray(raw) ? raw : [raw]).filter(
      (value): value is string => typeof value === 'string',
    );
    const known = new Set(question.options.map((option) => option.id));
    const chosen = [...new Set(given.filter((value) => known.has(value)))];
    answers[question.id] = chosen;
    if (chosen.length === 0) {
      errors[question.id] =
        question.type === 'single'
          ? 'Choose an answer to this question.'
          : 'Choose at least one answer to this question.';
    } else if (question.type === 'single' && chosen.length > 1) {
      errors[question.id] = 'Choose only one answer to this question.';
    }
  }
  return { answers, errors };
}

/** A question is right when the chosen options are exactly its correct ones; the check passes at its pass mark. */
export function gradeCheck(step: CheckStep, answers: CheckAnswers): CheckResult {
  const correct = new Set<string>();
  for (const question of step.questions) {
    const expected = question.options.filter((option) => option.correct).map((option) => option.id);
    const chosen = answers[question.id] ?? [];
    if (chosen.length === expected.length && expected.every((id) => chosen.includes(id)))
      correct.add(question.id);
  }
  return { correctCount: correct.size, passed: correct.size >= step.passMark, correct };
}
