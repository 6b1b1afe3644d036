import mongoose from 'mongoose';
import type { Actor } from '../../shared/auth/actor';
import { NotFoundError } from '../../shared/errors';
import {
  findModuleVersion,
  resolveModule,
  type ModulePack,
  type ModuleStep,
  type ModuleVersion,
} from '../content';
import { ModuleProgressModel, type ModuleProgress, type StepState } from './progress.model';

/** A module as one learner works on it: the version they are on, and their progress on it (if started). */
export interface LearnerModule {
  module: ModuleVersion;
  definition: ModulePack;
  /** The newest version: what the catalogue and an alias resolve to. */
  newest: ModuleVersion;
  progress: ModuleProgress | null;
}

/** The one answer for a module the tenant does not have, whatever the reason (never says whose it is). */
const moduleNotFound = () => new NotFoundError('This module is not part of Rounds for your organisation.');

/** The unique key of a learner's progress on one version (and of their completion of it). */
export function progressKey(actor: Actor, slug: string, version: number) {
  return {
    tenantId: new mongoose.Types.ObjectId(actor.tenantId),
    userId: new mongoose.Types.ObjectId(actor.userId),
    slug,
    version,
  };
}

/**
 * The module a slug (or alias) opens for this learner: the version of their unfinished progress if they have one
 * (a newer import does not move them onto changed text), else the newest. 404 for a slug the tenant does not have.
 */
export async function openLearnerModule(actor: Actor, slug: string): Promise<LearnerModule> {
  const newest = await resolveModule(slug, actor.tenantId);
  if (!newest) throw moduleNotFound();
  const versions = Array.from({ length: newest.version }, (_, index) => index + 1);
  // One version: a lookup by the whole unique key. Several: a bounded set of keys.
  const progresses =
    versions.length === 1
      ? await ModuleProgressModel.find(progressKey(actor, newest.slug, newest.version)).lean<
          ModuleProgress[]
        >()
      : await ModuleProgressModel.find({
          ...progressKey(actor, newest.slug, newest.version),
          version: { $in: versions },
        }).lean<ModuleProgress[]>();
  const unfinished = progresses
    .filter((progress) => !progress.completedAt)
    .sort((a, b) => b.version - a.version)[0];
  if (unfinished && unfinished.version !== newest.version) {
    const kept = await findModuleVersion(actor.tenantId, newest.slug, unfinished.version);
    if (kept) return { module: kept, definition: kept.definition, newest, progress: unfinished };
  }
  const progress = progresses.find((p) => p.version === newest.version) ?? null;
  return { module: newest, definition: newest.definition, newest, progress };
}

/** The learner's record of one step, or a fresh one. */
export function stateOf(progress: ModuleProgress | null, stepId: string): StepState {
  const found = progress?.steps.find((state) => state.stepId === stepId);
  return found ?? { stepId, done: false, passed: false, attempts: 0, practisedSeconds: 0 };
}

/** Self-checks are optional; every other step must be done, and a check passed, to complete the module. */
export function isRequired(step: ModuleStep): boolean {
  return step.kind !== 'instrument';
}

/** A step counts as done when saved; a check only once passed. */
export function isStepComplete(step: ModuleStep, state: StepState): boolean {
  return step.kind === 'check' ? state.passed : state.done;
}

/** Whether every required step is done (and every check passed). */
export function allRequiredDone(definition: ModulePack, progress: ModuleProgress | null): boolean {
  return definition.steps.every(
    (step) => !isRequired(step) || isStepComplete(step, stateOf(progress, step.id)),
  );
}

/** Starts the learner's progress on this version if they have none (idempotent, race-safe by the unique key). */
export async function ensureProgress(actor: Actor, learner: LearnerModule): Promise<ModuleProgress> {
  if (learner.progress) return learner.progress;
  const key = progressKey(actor, learner.module.slug, learner.module.version);
  const upsert = () =>
    ModuleProgressModel.findOneAndUpdate(
      key,
      {
        $setOnInsert: {
          currentStep: 1,
          furthestStep: 1,
          steps: [],
          startedAt: new Date(),
          completedAt: null,
        },
      },
      { upsert: true, new: true },
    ).lean<ModuleProgress>();
  try {
    return (await upsert())!;
  } catch (error) {
    // Two first requests at once: one inserted, the other's upsert hit the unique key; read the winner's.
    if ((error as { code?: number }).code !== 11000) throw error;
    return (await ModuleProgressModel.findOne(key).lean<ModuleProgress>())!;
  }
}
