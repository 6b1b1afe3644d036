/**
 * Progress for `bench:player`: each learner part-way through one module, on the version they started, with the
 * steps before their current one done (a check passed with its answers, practice minutes), as the player leaves it.
 */
import type { Actor } from '../src/shared/auth/actor';
import type { ModuleVersion } from '../src/wellbeing';
import { ModuleProgressModel } from '../src/wellbeing/player/progress.model';

export async function seedProgress(actors: Actor[], module: ModuleVersion): Promise<void> {
  const steps = module.definition.steps;
  const documents = actors.map((actor, index) => {
    const currentStep = (index % steps.length) + 1;
    return {
      tenantId: actor.tenantId,
      userId: actor.userId,
      slug: module.slug,
      version: module.version,
      currentStep,
      furthestStep: currentStep,
      steps: steps.slice(0, currentStep - 1).map((step) => ({
        stepId: step.id,
        done: true,
        passed: step.kind === 'check',
        attempts: step.kind === 'check' ? 1 : 0,
        ...(step.kind === 'check'
          ? { lastAnswers: Object.fromEntries(step.questions.map((question) => [question.id, ['a']])) }
          : {}),
        practisedSeconds: step.kind === 'practice' ? 120 : 0,
      })),
      startedAt: new Date(),
    };
  });
  for (let index = 0; index < documents.length; index += 1000) {
    await ModuleProgressModel.insertMany(documents.slice(index, index + 1000), { ordered: false });
  }
}
