import type { Actor } from '../../shared/auth/actor';
import { NotFoundError } from '../../shared/errors';
import type { ModuleStep } from '../content';
import { gradeCheck, readCheckAnswers } from './check.grading';
import { enabledInstrumentsFor } from '../instruments';
import { recordCompletion } from './completion.service';
import {
  allRequiredDone,
  ensureProgress,
  openLearnerModule,
  progressKey,
  stateOf,
  type LearnerModule,
} from './learnerModule.service';
import { practiceBodySchema, reflectionBodySchema, submittedText } from './player.schemas';
import { ModuleProgressModel, type ModuleProgress, type StepState } from './progress.model';
import { ReflectionModel, type Reflection } from './reflection.model';
import { stepPage, type StepInput, type StepPage } from './step.views';

/** What saving a step leads to: the next page, or the same step again with what was wrong (400). */
export type SaveOutcome = { redirect: string } | { invalid: StepPage };

function stepAt(learner: LearnerModule, number: number): ModuleStep {
  const step = learner.definition.steps[number - 1];
  if (!step) throw new NotFoundError('This module has no such step.');
  return step;
}

/** Where the learner goes after step `number`: the next step, or the completion page after the last. */
export function pathAfter(slug: string, number: number, count: number): string {
  return number < count ? `/modules/${slug}/steps/${number + 1}` : `/modules/${slug}/complete`;
}

async function buildPage(
  actor: Actor,
  learner: LearnerModule,
  number: number,
  progress: ModuleProgress | null,
  input: StepInput = {},
): Promise<StepPage> {
  const step = stepAt(learner, number);
  const reflection =
    step.kind === 'reflection'
      ? await ReflectionModel.findOne({
          ...progressKey(actor, learner.module.slug, learner.module.version),
          stepId: step.id,
        }).lean<Reflection>()
      : null;
  const instrumentOffered =
    step.kind === 'instrument' && (await enabledInstrumentsFor(actor.tenantId)).includes(step.instrument);
  return stepPage({
    learner,
    step,
    number,
    state: stateOf(progress, step.id),
    ...(reflection ? { reflectionText: reflection.text, reflectionSavedAt: reflection.savedAt } : {}),
    instrumentOffered,
    input,
  });
}

/**
 * Opens step `number` (1-based) of a module for the learner, starting their progress on it if need be, and
 * remembers it as where they are, so a later launch on any device continues here. 404 for a step out of range.
 */
export async function openStep(actor: Actor, slug: string, number: number): Promise<StepPage> {
  const learner = await openLearnerModule(actor, slug);
  stepAt(learner, number);
  const progress = await ensureProgress(actor, learner);
  if (progress.currentStep !== number || progress.furthestStep < number) {
    await ModuleProgressModel.updateOne(
      { _id: progress._id },
      { $set: { currentStep: number }, $max: { furthestStep: number } },
    );
  }
  return buildPage(actor, learner, number, progress);
}

/** Where "Next" from step `number` leads (a self-check's "Continue the module" comes back through here). */
export async function pathAfterStep(actor: Actor, slug: string, number: number): Promise<string> {
  const learner = await openLearnerModule(actor, slug);
  stepAt(learner, number);
  return pathAfter(learner.module.slug, number, learner.definition.steps.length);
}

/**
 * Saves what step `number` takes (check answers, reflection text, minutes practised), marks it done and moves
 * the learner on; completes the module when that was the last required step. A check comes back to itself with
 * its feedback; a refused form comes back with the learner's input and the error next to the field.
 */
export async function saveStep(
  actor: Actor,
  slug: string,
  number: number,
  body: Record<string, unknown>,
): Promise<SaveOutcome> {
  const learner = await openLearnerModule(actor, slug);
  const step = stepAt(learner, number);
  const progress = await ensureProgress(actor, learner);
  const state: StepState = { ...stateOf(progress, step.id) };
  const count = learner.definition.steps.length;
  let next = pathAfter(learner.module.slug, number, count);

  if (step.kind === 'read') {
    state.done = true;
  } else if (step.kind === 'practice') {
    const parsed = practiceBodySchema.safeParse(body);
    if (!parsed.success) {
      const input = {
        minutes: submittedText(body, 'minutes'),
        minutesError: parsed.error.issues[0]!.message,
      };
      return { invalid: await buildPage(actor, learner, number, progress, input) };
    }
    state.done = true;
    state.practisedSeconds = parsed.data.minutes * 60;
  } else if (step.kind === 'check') {
    const { answers, errors } = readCheckAnswers(step, body);
    if (Object.keys(errors).length > 0) {
      const input = { checkAnswers: answers, checkErrors: errors };
      return { invalid: await buildPage(actor, learner, number, progress, input) };
    }
    const result = gradeCheck(step, answers);
    state.attempts = (state.attempts ?? 0) + 1;
    state.lastAnswers = answers;
    state.passed = state.passed || result.passed;
    state.done = state.passed;
    next = `/modules/${learner.module.slug}/steps/${number}#check-result`;
  } else if (step.kind === 'reflection') {
    const parsed = reflectionBodySchema.safeParse(body);
    if (!parsed.success) {
      const input = {
        reflectionText: submittedText(body, 'text'),
        reflectionError: parsed.error.issues[0]!.message,
      };
      return { invalid: await buildPage(actor, learner, number, progress, input) };
    }
    await ReflectionModel.updateOne(
      { ...progressKey(actor, learner.module.slug, learner.module.version), stepId: step.id },
      { $set: { text: parsed.data.text, savedAt: new Date() } },
      { upsert: true },
    );
    state.done = true;
  }
  // A self-check step records nothing: its answers go to the confidential results, never to progress.

  const steps = [
    ...progress.steps.filter((s) => s.stepId !== step.id),
    ...(step.kind === 'instrument' ? [] : [state]),
  ];
  const movesOn = step.kind !== 'check';
  const current = movesOn ? Math.min(number + 1, count) : number;
  const saved = await ModuleProgressModel.findOneAndUpdate(
    { _id: progress._id },
    { $set: { steps, currentStep: current }, $max: { furthestStep: current } },
    { new: true },
  ).lean<ModuleProgress>();
  // A progress already complete has its completion (recordCompletion marks it only after storing one).
  if (saved && !saved.completedAt && allRequiredDone(learner.definition, saved)) {
    await recordCompletion(actor, { ...learner, progress: saved });
  }
  return { redirect: next };
}
