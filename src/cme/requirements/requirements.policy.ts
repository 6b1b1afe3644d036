import { ForbiddenError, NotFoundError } from '../../shared/errors';
import type { CmeActivity } from '../core';
import type { RequirementsReport } from './requirement.status';

/** The activity has a post-test to take (otherwise its page does not exist). */
export function assertHasPostTest(activity: Pick<CmeActivity, 'requirements'>): void {
  if (!activity.requirements?.postTest?.questions?.length) {
    throw new NotFoundError('This activity has no post-test.');
  }
}

/** The activity asks for an evaluation (otherwise its page does not exist). */
export function assertHasEvaluation(activity: Pick<CmeActivity, 'requirements'>): void {
  if (activity.requirements?.evaluationRequired === false) {
    throw new NotFoundError('This activity has no evaluation.');
  }
}

/** What is still missing before the evaluation, which comes after every other requirement (issue 13, item 3). */
export function missingBeforeEvaluation(report: RequirementsReport): string[] {
  return report.requirements
    .filter((requirement) => requirement.kind !== 'evaluation' && !requirement.met)
    .map((requirement) => requirement.label);
}

/** Refuses an evaluation submitted before the other requirements are met, naming what is missing. */
export function assertEvaluationOpen(report: RequirementsReport): void {
  const missing = missingBeforeEvaluation(report);
  if (missing.length) {
    throw new ForbiddenError(
      `The evaluation opens once everything else is done. Still required: ${missing.join('; ')}.`,
    );
  }
}
