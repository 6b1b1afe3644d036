import { DateTime } from 'luxon';
import type { Actor } from '../../shared/auth/actor';
import { ValidationError } from '../../shared/errors';
import { tenantTimeZone } from '../../tenancy';
import { claimPagePath, openActivityForLearner } from './activity.lookup';
import { PostTestAttemptModel } from './postTest.model';
import { assertHasPostTest } from './requirements.policy';
import { learnerActivityKey } from './requirements.service';

/** One attempt as the page shows it. */
export interface AttemptView {
  attempt: number;
  score: number;
  passed: boolean;
  submittedAt: string;
}

/** What the post-test page shows: the pass mark first, then the questions, or the learner's result. */
export interface PostTestPage {
  key: string;
  title: string;
  version: number;
  passPercent: number;
  /** "1 question", "5 questions". */
  questionCount: string;
  questions: Array<{
    number: number;
    field: string;
    text: string;
    options: Array<{ index: number; text: string }>;
  }>;
  attempts: AttemptView[];
  passed: AttemptView | undefined;
  claimPath: string;
  timeZone: string;
}

const formatInstant = (at: Date, zone: string) =>
  DateTime.fromJSDate(at, { zone }).toFormat("d LLLL yyyy 'at' HH:mm ZZZZ");

/** The field name of question `index` (0-based). */
export const answerField = (index: number) => `answer${index}`;

/** The post-test of the activity's current version and the learner's attempts on it. */
export async function postTestPageFor(actor: Actor, key: string): Promise<PostTestPage> {
  const activity = await openActivityForLearner(actor, key);
  assertHasPostTest(activity);
  const postTest = activity.requirements!.postTest!;
  const [timeZone, attempts] = await Promise.all([
    tenantTimeZone(actor.tenantId),
    PostTestAttemptModel.find(learnerActivityKey(actor, activity)).lean(),
  ]);
  const views = attempts
    .sort((a, b) => a.attempt - b.attempt)
    .map((attempt) => ({
      attempt: attempt.attempt,
      score: attempt.score,
      passed: attempt.passed,
      submittedAt: formatInstant(attempt.submittedAt, timeZone),
    }));
  return {
    key: activity.key,
    title: activity.title,
    version: activity.version,
    passPercent: postTest.passPercent ?? 100,
    questionCount: `${postTest.questions.length} question${postTest.questions.length === 1 ? '' : 's'}`,
    questions: postTest.questions.map((question, index) => ({
      number: index + 1,
      field: answerField(index),
      text: question.text,
      options: question.options.map((text, option) => ({ index: option, text })),
    })),
    attempts: views,
    passed: views.find((attempt) => attempt.passed),
    claimPath: claimPagePath(activity.key),
    timeZone,
  };
}

/**
 * Scores a post-test attempt on the activity's current version and keeps it, passed or not: the percent of
 * questions answered right, rounded down, against the pass mark announced on the page. Every question needs an
 * answer (refused with a message at each unanswered one). Answers the stored attempt number.
 */
export async function submitPostTest(
  actor: Actor,
  key: string,
  answers: Record<string, string>,
  now = new Date(),
): Promise<{ attempt: number; score: number; passed: boolean }> {
  const activity = await openActivityForLearner(actor, key);
  assertHasPostTest(activity);
  const postTest = activity.requirements!.postTest!;
  const errors: Record<string, string> = {};
  const chosen = postTest.questions.map((question, index) => {
    const typed = answers[answerField(index)];
    const option = typed !== undefined && /^\d{1,2}$/.test(typed) ? Number(typed) : -1;
    if (option < 0 || option >= question.options.length) {
      errors[answerField(index)] = `Choose an answer to question ${index + 1}.`;
    }
    return option;
  });
  if (Object.keys(errors).length) throw new ValidationError('Unanswered questions', errors);
  const right = postTest.questions.filter((question, index) => question.correct === chosen[index]).length;
  const score = Math.floor((right * 100) / postTest.questions.length);
  const passPercent = postTest.passPercent ?? 100;
  const passed = score >= passPercent;
  const learner = learnerActivityKey(actor, activity);
  // Numbered per learner and version; two submits racing for one number: the second takes the next.
  for (let tries = 0; tries < 5; tries += 1) {
    const attempt = (await PostTestAttemptModel.countDocuments(learner)) + 1;
    try {
      await PostTestAttemptModel.create({
        ...learner,
        attempt,
        answers: chosen,
        score,
        passPercent,
        passed,
        submittedAt: now,
      });
      return { attempt, score, passed };
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
    }
  }
  throw new Error('submitPostTest: could not number the attempt');
}
