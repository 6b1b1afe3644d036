/**
 * What an instructor can place in a course through deep linking, and where a launch of it lands.
 *
 * PLACEHOLDER CATALOGUE. The well-being modules, cohorts' reflection assignments and CME claim pages do not exist
 * yet. Until they do, this typed list stands in for them so deep linking can be built and tested end to end:
 * three module stubs (title and summary only; the module feature will read its packs from content/modules/), one
 * reflection assignment and one CME claim page. When a feature lands, it replaces its entries here with its own
 * records and `pathFor` with its own page; the identifiers (`module:burnout-basics`) already placed in courses
 * must keep working.
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

const catalogue: readonly PlaceableTarget[] = [
  {
    kind: 'module',
    id: 'burnout-basics',
    title: 'Burnout basics',
    summary: 'What burnout is and is not, its early signs in clinical work, and where to get help.',
  },
  {
    kind: 'module',
    id: 'sleep-after-night-shifts',
    title: 'Sleep after night shifts',
    summary: 'Protecting sleep around night and rotating shifts.',
  },
  {
    kind: 'module',
    id: 'moral-distress',
    title: 'Moral distress',
    summary: 'Naming moral distress and talking about it with colleagues.',
  },
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

/** Every placeable target, modules first. */
export function listTargets(): readonly PlaceableTarget[] {
  return catalogue;
}

/** The `kind:id` key that identifies a target in custom parameters and forms, e.g. `module:burnout-basics`. */
export function targetKey(target: Pick<PlaceableTarget, 'kind' | 'id'>): string {
  return `${target.kind}:${target.id}`;
}

/** A target by kind and id, or undefined. */
export function findTarget(kind: string, id: string): PlaceableTarget | undefined {
  return catalogue.find((target) => target.kind === kind && target.id === id);
}

/** A target by its `kind:id` key, or undefined for anything else (including malformed keys). */
export function findTargetByKey(key: string): PlaceableTarget | undefined {
  const separator = key.indexOf(':');
  if (separator <= 0) return undefined;
  return findTarget(key.slice(0, separator), key.slice(separator + 1));
}

/** The Rounds page a target opens on (for now the placeholder page in targets.routes.ts). */
export function pathFor(target: Pick<PlaceableTarget, 'kind' | 'id'>): string {
  return `/targets/${target.kind}/${encodeURIComponent(target.id)}`;
}
