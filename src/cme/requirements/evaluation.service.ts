import { DateTime } from 'luxon';
import type { Actor } from '../../shared/auth/actor';
import { ValidationError } from '../../shared/errors';
import { claimPagePath, openActivityForLearner } from './activity.lookup';
import { EvaluationResponseModel } from './evaluation.model';
import { answerField } from './postTest.service';
import { assertEvaluationOpen, assertHasEvaluation, missingBeforeEvaluation } from './requirements.policy';
import { learnerActivityKey, requirementsFor } from './requirements.service';
import type { Requirement } from './requirement.status';

type EvaluationQuestion = { text: string; kind: 'scale' | 'text' };

/**
 * When the CME office removed every question but still requires an evaluation: one optional comment, so the
 * learner can still complete it.
 */
const fallbackQuestions: EvaluationQuestion[] = [
  { text: 'Comments on this activity (optional)', kind: 'text' },
];

/** The scale every `scale` question uses (1–5, labelled at each point so no number needs guessing). */
export const scalePoints = [
  { value: '1', label: 'Strongly disagree' },
  { value: '2', label: 'Disagree' },
  { value: '3', label: 'Neutral' },
  { value: '4', label: 'Agree' },
  { value: '5', label: 'Strongly agree' },
];

function questionsOf(activity: {
  requirements?: { evaluationQuestions?: Array<{ text: string; kind: string }> } | null;
}) {
  const defined = (activity.requirements?.evaluationQuestions ?? []).filter(
    (question): question is EvaluationQuestion => question.kind === 'scale' || question.kind === 'text',
  );
  return defined.length ? defined : fallbackQuestions;
}

/** What the evaluation page shows: the form, what must be done first, or that it was submitted. */
export interface EvaluationPage {
  key: string;
  title: string;
  questions: Array<EvaluationQuestion & { number: number; field: string; scale: boolean }>;
  /** Requirements to meet before the evaluation opens (none: the form is shown). */
  missing: Requirement[];
  submittedAt: string | undefined;
  claimPath: string;
}

/** The evaluation of the activity's current version, for the learner. */
export async function evaluationPageFor(actor: Actor, key: string): Promise<EvaluationPage> {
  const activity = await openActivityForLearner(actor, key);
  assertHasEvaluation(activity);
  const report = await requirementsFor(actor, activity);
  const response = await EvaluationResponseModel.findOne(learnerActivityKey(actor, activity), {
    submittedAt: 1,
  }).lean();
  const missingLabels = new Set(missingBeforeEvaluation(report));
  return {
    key: activity.key,
    title: activity.title,
    questions: questionsOf(activity).map((question, index) => ({
      ...question,
      number: index + 1,
      field: answerField(index),
      scale: question.kind === 'scale',
    })),
    missing: report.requirements.filter((requirement) => missingLabels.has(requirement.label)),
    submittedAt: response
      ? DateTime.fromJSDate(response.submittedAt, { zone: report.timeZone }).toFormat(
          "d LLLL yyyy 'at' HH:mm ZZZZ",
        )
      : undefined,
    claimPath: claimPagePath(activity.key),
  };
}

/**
 * Keeps the learner's evaluation of the activity's current version, once: it opens after every other
 * requirement (refused otherwise, naming what is missing), scale questions need an answer, text ones are
 * optional. A second submit (double click, second tab) keeps the first response.
 */
export async function submitEvaluation(
  actor: Actor,
  key: string,
  answers: Record<string, string>,
  now = new Date(),
): Promise<void> {
  const activity = await openActivityForLearner(actor, key);
  assertHasEvaluation(activity);
  assertEvaluationOpen(await requirementsFor(actor, activity, now));
  const questions = questionsOf(activity);
  const errors: Record<string, string> = {};
  const kept = questions.map((question, index) => {
    const typed = (answers[answerField(index)] ?? '').trim();
    if (question.kind === 'scale' && !scalePoints.some((point) => point.value === typed)) {
      errors[answerField(index)] = `Choose how far you agree with statement ${index + 1}.`;
    }
    if (question.kind === 'text' && typed.length > 4000) {
      errors[answerField(index)] = `Keep your answer to question ${index + 1} under 4000 characters.`;
    }
    return { question: question.text, kind: question.kind, answer: typed };
  });
  if (Object.keys(errors).length) throw new ValidationError('Evaluation incomplete', errors);
  const learner = learnerActivityKey(actor, activity);
  try {
    await EvaluationResponseModel.updateOne(
      learner,
      { $setOnInsert: { answers: kept, submittedAt: now } },
      { upsert: true },
    );
  } catch (error) {
    // The other submit of a double click inserted it first: that response stands.
    if ((error as { code?: number }).code !== 11000) throw error;
  }
}
