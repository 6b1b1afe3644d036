import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import type { Actor } from '../../shared/auth/actor';
import { tenantTimeZone } from '../../tenancy';
import { findModuleVersion, listModules, type ModuleVersion } from '../content';
import { professionOf } from '../support';
import { ModuleCompletionModel, type ModuleCompletion } from './completion.model';
import { ModuleProgressModel, type ModuleProgress } from './progress.model';

/** A pack's audience for each profession support knows (a medical student reads modules meant for students). */
const audienceOfProfession: Record<string, string> = {
  physician: 'physician',
  'medical-student': 'student',
  nurse: 'nurse',
  pharmacist: 'pharmacist',
  technician: 'technician',
};

export interface CatalogueEntry {
  slug: string;
  title: string;
  summary: string;
  estimatedMinutes: number;
  audienceLabel: string;
  href: string;
  status: 'not-started' | 'in-progress' | 'completed';
  progressLabel: string;
  forYou: boolean;
}

const audienceLabels: Record<string, string> = {
  all: 'Everyone',
  physician: 'Physicians',
  nurse: 'Nurses',
  pharmacist: 'Pharmacists',
  technician: 'Technicians',
  student: 'Students',
  mentor: 'Mentors',
};

/** "12 Mar 2026" in the tenant's time zone. */
export function shownDate(date: Date, timeZone: string): string {
  return DateTime.fromJSDate(date).setZone(timeZone).toFormat('d LLL yyyy');
}

/** The pack audiences written for this person: their profession's, and mentors' for a mentor. */
async function ownAudiences(actor: Actor): Promise<Set<string>> {
  const own = new Set<string>();
  const profession = await professionOf(actor);
  const mapped = profession ? audienceOfProfession[profession] : undefined;
  if (mapped) own.add(mapped);
  if (actor.role === 'instructor') own.add('mentor');
  return own;
}

/**
 * Sorts modules for a learner: those meant for their profession (or, for mentors, for mentors) first, then those
 * for everyone, then the rest; the stored order within each group.
 */
function orderForActor(modules: ModuleVersion[], own: Set<string>): ModuleVersion[] {
  const rank = (module: ModuleVersion) => {
    if (module.audience.some((audience) => own.has(audience))) return 0;
    return module.audience.includes('all') ? 1 : 2;
  };
  return modules
    .map((module, index) => ({ module, index, rank: rank(module) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.module);
}

/**
 * The catalogue at /modules: every module the tenant has, with the learner's progress on it ("Not started",
 * "Step 3 of 7", "Completed 12 Mar 2026"), those for their profession first.
 */
export async function listCatalogue(actor: Actor): Promise<CatalogueEntry[]> {
  const learner = {
    tenantId: new mongoose.Types.ObjectId(actor.tenantId),
    userId: new mongoose.Types.ObjectId(actor.userId),
  };
  const [modules, progresses, completions, timeZone] = await Promise.all([
    listModules(actor.tenantId),
    ModuleProgressModel.find(learner).lean<ModuleProgress[]>(),
    ModuleCompletionModel.find(learner).lean<ModuleCompletion[]>(),
    tenantTimeZone(actor.tenantId),
  ]);
  const own = await ownAudiences(actor);
  const ordered = orderForActor(modules, own);
  const entries = ordered.map(async (module): Promise<CatalogueEntry> => {
    const unfinished = progresses
      .filter((p) => p.slug === module.slug && !p.completedAt)
      .sort((a, b) => b.version - a.version)[0];
    const completed = completions
      .filter((c) => c.slug === module.slug)
      .sort((a, b) => b.completedAt.getTime() - a.completedAt.getTime())[0];
    const stepCount = unfinished ? await stepCountOf(actor, module, unfinished) : 0;
    let status: CatalogueEntry['status'] = 'not-started';
    let progressLabel = 'Not started';
    if (unfinished) {
      status = 'in-progress';
      progressLabel = `Step ${unfinished.currentStep} of ${stepCount}`;
    } else if (completed) {
      status = 'completed';
      progressLabel = `Completed ${shownDate(completed.completedAt, timeZone)}`;
    }
    return {
      slug: module.slug,
      title: module.title,
      summary: module.summary,
      estimatedMinutes: module.estimatedMinutes,
      audienceLabel: module.audience.map((audience) => audienceLabels[audience] ?? audience).join(', '),
      href: `/modules/${module.slug}`,
      status,
      progressLabel,
      forYou: module.audience.some((audience) => own.has(audience)),
    };
  });
  return Promise.all(entries);
}

/** Steps of the version the progress is on (a learner may still be on an older version than the newest). */
async function stepCountOf(actor: Actor, newest: ModuleVersion, progress: ModuleProgress): Promise<number> {
  const module =
    progress.version === newest.version
      ? newest
      : ((await findModuleVersion(actor.tenantId, newest.slug, progress.version)) ?? newest);
  return module.definition.steps.length;
}
