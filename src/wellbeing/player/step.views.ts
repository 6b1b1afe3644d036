import type { ModuleStep } from '../content';
import { gradeCheck, questionField, type CheckAnswers, type CheckStep } from './check.grading';
import { getInstrument } from '../instruments';
import type { LearnerModule } from './learnerModule.service';
import { renderMarkdown } from './markdown';
import type { StepState } from './progress.model';
import { reflectionMaxLength } from './reflection.model';

/** What a step page shows beyond the stored state: the learner's typed input and its errors after a refused POST. */
export interface StepInput {
  checkAnswers?: CheckAnswers;
  checkErrors?: Record<string, string>;
  reflectionText?: string;
  reflectionError?: string;
  minutes?: string;
  minutesError?: string;
}

export interface StepContext {
  learner: LearnerModule;
  step: ModuleStep;
  /** 1-based. */
  number: number;
  state: StepState;
  reflectionText?: string;
  reflectionSavedAt?: Date;
  instrumentOffered: boolean;
  input: StepInput;
}

const kindLabels: Record<ModuleStep['kind'], string> = {
  read: 'Reading',
  practice: 'Practice',
  check: 'Knowledge check',
  instrument: 'Optional self-check',
  reflection: 'Reflection',
};

/** Rendered Markdown by module version and step: module text never changes once imported. */
const renderedCache = new Map<string, string>();
function rendered(key: string, markdown: string): string {
  let html = renderedCache.get(key);
  if (html === undefined) {
    if (renderedCache.size >= 1000) renderedCache.clear();
    html = renderMarkdown(markdown);
    renderedCache.set(key, html);
  }
  return html;
}

/** The step page's view model: progress, navigation and the step by kind. */
export function stepPage(context: StepContext) {
  const { learner, step, number } = context;
  const { module, definition } = learner;
  const count = definition.steps.length;
  const base = `/modules/${module.slug}`;
  const stepPath = `${base}/steps/${number}`;
  const cacheKey = `${String(module._id)}:${step.id}`;
  const errors = pageErrors(context);
  const title = step.title ?? 'A private self-check';
  return {
    title: `${errors.length ? 'Error: ' : ''}${title} · Step ${number} of ${count} · ${module.title}`,
    errors,
    module: { slug: module.slug, title: module.title, href: base },
    heading: title,
    kindLabel: kindLabels[step.kind],
    number,
    count,
    stepPath,
    backHref: number > 1 ? `${base}/steps/${number - 1}` : base,
    backLabel: number > 1 ? 'Back' : 'Back to the module overview',
    nextHref: `${stepPath}/next`,
    isLast: number === count,
    done: step.kind === 'check' ? context.state.passed : context.state.done,
    read:
      step.kind === 'read' ? { html: rendered(cacheKey, learner.module.bodies[step.body] ?? '') } : undefined,
    practice: step.kind === 'practice' ? practiceView(step, context, cacheKey) : undefined,
    check: step.kind === 'check' ? checkView(step, context) : undefined,
    reflection: step.kind === 'reflection' ? reflectionView(step, context, cacheKey) : undefined,
    instrument: step.kind === 'instrument' ? instrumentView(step, context, stepPath) : undefined,
  };
}

export type StepPage = ReturnType<typeof stepPage>;

function pageErrors({ step, input }: StepContext): { href: string; message: string }[] {
  if (step.kind === 'check') {
    return step.questions
      .filter((question) => input.checkErrors?.[question.id])
      .map((question) => ({
        href: `#${question.id}-${question.options[0]!.id}`,
        message: input.checkErrors![question.id]!,
      }));
  }
  if (step.kind === 'reflection' && input.reflectionError)
    return [{ href: '#reflection-text', message: input.reflectionError }];
  if (step.kind === 'practice' && input.minutesError)
    return [{ href: '#minutes', message: input.minutesError }];
  return [];
}

function practiceView(
  step: Extract<ModuleStep, { kind: 'practice' }>,
  context: StepContext,
  cacheKey: string,
) {
  const roundSeconds = step.pacer.phases.reduce((sum, phase) => sum + phase.seconds, 0);
  const storedMinutes = Math.round((context.state.practisedSeconds ?? 0) / 60);
  return {
    introHtml: rendered(`${cacheKey}:intro`, step.intro),
    rounds: step.pacer.rounds,
    repeats: step.pacer.rounds > 1,
    phases: step.pacer.phases,
    totalSeconds: roundSeconds * step.pacer.rounds,
    totalLabel: durationLabel(roundSeconds * step.pacer.rounds),
    minutes: context.input.minutes ?? (context.state.done ? String(storedMinutes) : ''),
    minutesError: context.input.minutesError,
  };
}

/** "1 minute 20 seconds", "45 seconds". */
function durationLabel(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts = [];
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? '' : 's'}`);
  if (rest || !minutes) parts.push(`${rest} second${rest === 1 ? '' : 's'}`);
  return parts.join(' ');
}

function checkView(step: CheckStep, context: StepContext) {
  const stored = context.state.lastAnswers as CheckAnswers | undefined;
  // After a refused POST the page shows what was typed; otherwise the last attempt's answers.
  const shown = context.input.checkAnswers ?? stored ?? {};
  const result = stored && !context.input.checkAnswers ? gradeCheck(step, stored) : undefined;
  return {
    passMark: step.passMark,
    questionCount: step.questions.length,
    attempts: context.state.attempts,
    passed: context.state.passed,
    showForm: !context.state.passed || context.input.checkAnswers !== undefined,
    questions: step.questions.map((question) => {
      const error = context.input.checkErrors?.[question.id];
      return {
        id: question.id,
        field: questionField(question.id),
        prompt: question.prompt,
        inputType: question.type === 'single' ? 'radio' : 'checkbox',
        hint: question.type === 'multiple' ? 'Select all that apply.' : undefined,
        error,
        options: question.options.map((option) => ({
          id: option.id,
          inputId: `${question.id}-${option.id}`,
          text: option.text,
          checked: (shown[question.id] ?? []).includes(option.id),
        })),
      };
    }),
    result: result && {
      passed: result.passed,
      correctCount: result.correctCount,
      questions: step.questions.map((question) => ({
        prompt: question.prompt,
        correct: result.correct.has(question.id),
        chosen: question.options
          .filter((option) => (stored?.[question.id] ?? []).includes(option.id))
          .map((option) => ({
            text: option.text,
            correct: option.correct === true,
            feedback: option.feedback,
          })),
      })),
    },
  };
}

function reflectionView(
  step: Extract<ModuleStep, { kind: 'reflection' }>,
  context: StepContext,
  cacheKey: string,
) {
  return {
    promptHtml: rendered(`${cacheKey}:prompt`, step.prompt),
    text: context.input.reflectionText ?? context.reflectionText ?? '',
    error: context.input.reflectionError,
    saved: context.reflectionSavedAt !== undefined && context.input.reflectionError === undefined,
    maxLength: reflectionMaxLength.toLocaleString('en-US'),
  };
}

function instrumentView(
  step: Extract<ModuleStep, { kind: 'instrument' }>,
  context: StepContext,
  stepPath: string,
) {
  return {
    offered: context.instrumentOffered,
    id: step.instrument,
    form: context.instrumentOffered
      ? { instrument: getInstrument(step.instrument), from: stepPath, values: {}, errors: {} }
      : undefined,
  };
}
