import type { Actor } from '../../shared/auth/actor';
import { tenantTimeZone } from '../../tenancy';
import { listCatalogue, shownDate } from './catalogue.service';
import { latestCompletionOf, recordCompletion, sendCompletionGrade } from './completion.service';
import {
  allRequiredDone,
  isRequired,
  isStepComplete,
  openLearnerModule,
  stateOf,
  type LearnerModule,
} from './learnerModule.service';

/** The module overview's view model: what it is, where it comes from, and where the learner stands. */
export async function openOverview(actor: Actor, slug: string, options: { fromLaunch?: boolean } = {}) {
  const learner = await openLearnerModule(actor, slug);
  const { module, definition, progress } = learner;
  const completion = await latestCompletionOf(actor, module.slug);
  // A completed module opened again from a gradable link: its score goes to that activity too (once).
  if (options.fromLaunch && completion) await sendCompletionGrade(actor, completion);
  const timeZone = await tenantTimeZone(actor.tenantId);
  const count = definition.steps.length;
  const base = `/modules/${module.slug}`;
  const inProgress = progress && !progress.completedAt;
  return {
    title: module.title,
    slug: module.slug,
    canonicalPath: base,
    module: {
      title: module.title,
      summary: module.summary,
      estimatedMinutes: module.estimatedMinutes,
      objectives: definition.objectives,
      sources: definition.sources,
      stepCount: count,
      steps: definition.steps.map((step, index) => ({
        number: index + 1,
        title: step.title ?? 'A private self-check',
        optional: !isRequired(step),
        done: isStepComplete(step, stateOf(progress, step.id)),
      })),
    },
    completedOn: completion ? shownDate(completion.completedAt, timeZone) : undefined,
    action: inProgress
      ? {
          href: `${base}/steps/${Math.min(progress.currentStep, count)}`,
          label: `Continue at step ${Math.min(progress.currentStep, count)}`,
        }
      : progress?.completedAt
        ? { href: `${base}/steps/1`, label: 'Go through it again' }
        : { href: `${base}/steps/1`, label: 'Start' },
  };
}

export type Overview = Awaited<ReturnType<typeof openOverview>>;

/**
 * The completion page: records the completion when every required step is done (idempotent), then says what the
 * learner did and what comes next; otherwise lists the steps still to do.
 */
export async function openCompletion(actor: Actor, slug: string) {
  const learner = await openLearnerModule(actor, slug);
  const { module, definition, progress } = learner;
  const base = `/modules/${module.slug}`;
  const complete = allRequiredDone(definition, progress);
  const completion = complete
    ? await recordCompletion(actor, learner)
    : await latestCompletionOf(actor, module.slug);
  const remaining = definition.steps
    .map((step, index) => ({ step, number: index + 1 }))
    .filter(({ step }) => isRequired(step) && !isStepComplete(step, stateOf(progress, step.id)))
    .map(({ step, number }) => ({
      number,
      title: step.title,
      href: `${base}/steps/${number}`,
      why:
        step.kind === 'check'
          ? 'pass the check'
          : step.kind === 'reflection'
            ? 'save your reflection'
            : 'finish this step',
    }));
  const timeZone = await tenantTimeZone(actor.tenantId);
  return {
    title: completion ? `Completed: ${module.title}` : `Not finished yet: ${module.title}`,
    module: { title: module.title, href: base, stepCount: definition.steps.length },
    completion: completion && {
      completedOn: shownDate(completion.completedAt, timeZone),
      estimatedMinutes: completion.estimatedMinutes,
      practisedMinutes: completion.practisedMinutes,
      summary: summaryOf(learner),
    },
    remaining: completion ? [] : remaining,
    suggestions: completion ? await suggestionsAfter(actor, module.slug) : [],
  };
}

/** What the learner did: how many readings, practices, checks and reflections. */
function summaryOf({ definition, progress }: LearnerModule): string[] {
  const counts = { read: 0, practice: 0, check: 0, reflection: 0, instrument: 0 };
  for (const step of definition.steps)
    if (stateOf(progress, step.id).done || stateOf(progress, step.id).passed) counts[step.kind] += 1;
  const lines: string[] = [];
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (counts.read) lines.push(`Read ${plural(counts.read, 'section', 'sections')}`);
  if (counts.practice) lines.push(`Practised ${plural(counts.practice, 'exercise', 'exercises')}`);
  if (counts.check) lines.push(`Passed ${plural(counts.check, 'knowledge check', 'knowledge checks')}`);
  if (counts.reflection)
    lines.push(`Wrote ${plural(counts.reflection, 'reflection', 'reflections')}, kept private to you`);
  return lines;
}

/** Up to three modules to try next: not yet completed, those for the learner's profession first. */
async function suggestionsAfter(actor: Actor, slug: string) {
  const catalogue = await listCatalogue(actor);
  return catalogue.filter((entry) => entry.slug !== slug && entry.status !== 'completed').slice(0, 3);
}
