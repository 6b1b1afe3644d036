import { findClaimTarget, isClaimTargetId, listClaimTargets } from '../cme/claims';
import { findReflectionTarget, listReflectionTargets } from '../cohorts/reflections';
import { listModules, moduleScoreMaximum, resolveModule } from '../wellbeing';

/**
 * What an instructor can place in a course through deep linking, and where a launch of it lands.
 *
 * Modules are the stored well-being modules this tenant sees (bundled with Rounds or uploaded by its admins); a
 * module placed earlier under a slug that is now an alias (`module:burnout-basics`) still resolves. The reflection
 * assignment and the CME claim page are placeholders until the cohorts and CME features replace them with their
 * own records; their identifiers, already placed in courses, must keep working. Reflection assignments are the
 * cohorts' own (`reflection:<assignmentId>`, graded out of their rubric's maximum); the older
 * `reflection:cohort-reflection` stays, landing on the mentee's reflections of the course's cohorts. CME claim
 * pages are the tenant's published activities (`cme-claim:<activityKey>`); the older `cme-claim:course-credit`
 * stays, opening the activity (or activities) the CME office linked to the launched course.
 */

export type TargetKind = 'module' | 'reflection' | 'cme-claim';

export interface PlaceableTarget {
  kind: TargetKind;
  /** Stable slug: it travels in the LMS's custom parameters and must never change once placed. */
  id: string;
  title: string;
  summary: string;
  /** Gradable targets come with a line item, so the LMS creates a gradebook column for them. */
  gradable?: { scoreMaximum: number };
}

export const targetKindLabels: Record<TargetKind, string> = {
  module: 'Module',
  reflection: 'Reflection assignment',
  'cme-claim': 'CME claim page',
};

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** A reflection assignment's id (an ObjectId's hex). */
const assignmentIdPattern = /^[0-9a-f]{24}$/;

const placeholders: readonly PlaceableTarget[] = [
  {
    kind: 'reflection',
    id: 'cohort-reflection',
    title: 'Reflection assignment',
    summary: 'A written reflection each learner submits to their mentor, graded with a rubric.',
    gradable: { scoreMaximum: 10 },
  },
  {
    kind: 'cme-claim',
    id: 'course-credit',
    title: 'CME claim page',
    summary: 'Where learners check their CME requirements and claim credit for this course.',
  },
];

function moduleTarget(module: { slug: string; title: string; summary: string }): PlaceableTarget {
  return {
    kind: 'module',
    id: module.slug,
    title: module.title,
    summary: module.summary,
    gradable: { scoreMaximum: moduleScoreMaximum },
  };
}

/** A CME claim page as a placeable target. */
function claimTarget(claim: { id: string; title: string; summary: string }): PlaceableTarget {
  return { kind: 'cme-claim', ...claim };
}

/**
 * Every target an instructor of this course can place: the tenant's modules first, then the reflection
 * assignments of the course's cohorts, then the tenant's published CME activities, then the placeholders.
 */
export async function listTargets(tenantId: string, courseId: string): Promise<PlaceableTarget[]> {
  const [modules, reflections, claims] = await Promise.all([
    listModules(tenantId),
    listReflectionTargets(tenantId, courseId),
    listClaimTargets(tenantId),
  ]);
  return [...modules.map(moduleTarget), ...reflections, ...claims.map(claimTarget), ...placeholders];
}

/** The `kind:id` key that identifies a target in custom parameters and forms, e.g. `module:burnout-basics`. */
export function targetKey(target: Pick<PlaceableTarget, 'kind' | 'id'>): string {
  return `${target.kind}:${target.id}`;
}

/** Splits a `kind:id` key; undefined for malformed keys. */
function parseKey(key: string): { kind: string; id: string } | undefined {
  const separator = key.indexOf(':');
  if (separator <= 0) return undefined;
  return { kind: key.slice(0, separator), id: key.slice(separator + 1) };
}

/** A placeholder target (reflection, CME claim) by kind and id, or undefined. */
export function findPlaceholder(kind: string, id: string): PlaceableTarget | undefined {
  return placeholders.find((target) => target.kind === kind && target.id === id);
}

/**
 * A target this tenant can place, by its `kind:id` key, or undefined for anything else (malformed keys, another
 * tenant's module, another course's reflection assignment when `courseId` is given). A module key names the
 * module's own slug or one of its aliases.
 */
export async function findTargetByKey(
  key: string,
  tenantId: string,
  courseId?: string,
): Promise<PlaceableTarget | undefined> {
  const parsed = parseKey(key);
  if (!parsed) return undefined;
  if (parsed.kind === 'reflection' && assignmentIdPattern.test(parsed.id)) {
    return findReflectionTarget(parsed.id, tenantId, courseId);
  }
  if (parsed.kind === 'cme-claim' && isClaimTargetId(parsed.id) && !findPlaceholder(parsed.kind, parsed.id)) {
    const claim = await findClaimTarget(tenantId, parsed.id);
    return claim ? claimTarget(claim) : undefined;
  }
  if (parsed.kind !== 'module') return findPlaceholder(parsed.kind, parsed.id);
  if (!slugPattern.test(parsed.id)) return undefined;
  const module = await resolveModule(parsed.id, tenantId);
  return module ? { ...moduleTarget(module), id: parsed.id } : undefined;
}

/**
 * The Rounds page a placed key opens on, without reading the database (the launch's landing): a module's page
 * for any well-formed module key (the page answers 404 for a module the tenant does not have), a reflection
 * assignment's for any well-formed assignment id (likewise), a CME claim page for any well-formed activity key
 * (likewise; `course-credit` among them), a placeholder's page for a known placeholder, else undefined.
 */
export function landingPathForKey(key: string): string | undefined {
  const parsed = parseKey(key);
  if (!parsed) return undefined;
  if (parsed.kind === 'module')
    return slugPattern.test(parsed.id) ? pathFor(parsed as PlaceableTarget) : undefined;
  // A reflection assignment's page answers 404 for an id the tenant does not have, like a module's.
  if (parsed.kind === 'reflection' && assignmentIdPattern.test(parsed.id))
    return pathFor(parsed as PlaceableTarget);
  // A CME activity's claim page likewise answers 404 for a key the tenant has not published.
  if (parsed.kind === 'cme-claim' && isClaimTargetId(parsed.id)) return pathFor(parsed as PlaceableTarget);
  const placeholder = findPlaceholder(parsed.kind, parsed.id);
  return placeholder ? pathFor(placeholder) : undefined;
}

/** The Rounds page a target opens on: `/targets/<kind>/<id>` (modules: the player's landing). */
export function pathFor(target: Pick<PlaceableTarget, 'kind' | 'id'>): string {
  return `/targets/${target.kind}/${encodeURIComponent(target.id)}`;
}
