import { ForbiddenError } from '../../shared/errors';
import { CohortMemberModel, cohortNavFor, openCohort, type CohortViewer, type OpenedCohort } from '../core';
import { formatInZone } from './circle.format';
import { assertCircle, hasGroundRules, needsRulesAcceptance } from './circle.policy';

/** What the ground-rules page shows to this viewer. */
export interface RulesPage {
  cohortId: string;
  cohortName: string;
  /** The rules as written (plain text: the view keeps line breaks and escapes it). */
  rules: string;
  hasRules: boolean;
  /** They are in the circle and have not accepted yet: the page is a form, and nothing else of the circle opens. */
  mustAccept: boolean;
  /** When they accepted, in the cohort's zone. */
  acceptedAt?: string;
  /** Instructors edit the rules on the settings page. */
  manages: boolean;
  cohortNav?: ReturnType<typeof cohortNavFor>;
}

/** The cohort navigation with no page marked current (the rules page is not one of its entries). */
function navWithoutCurrent(opened: OpenedCohort) {
  const nav = cohortNavFor(opened, 'overview');
  return { ...nav, links: nav.links.map((link) => ({ ...link, current: false })) };
}

/** The circle's ground rules, and whether this viewer still has to accept them. 404 for a mentoring cohort. */
export async function rulesPageFor(viewer: CohortViewer, cohortId: string): Promise<RulesPage> {
  const opened = await openCohort(viewer, cohortId);
  assertCircle(opened);
  const mustAccept = needsRulesAcceptance(opened);
  const acceptedAt = opened.membership?.rulesAcceptedAt;
  return {
    cohortId: String(opened.cohort._id),
    cohortName: opened.cohort.name,
    rules: opened.cohort.groundRules ?? '',
    hasRules: hasGroundRules(opened),
    mustAccept,
    ...(acceptedAt && opened.role ? { acceptedAt: formatInZone(acceptedAt, opened.cohort.timeZone) } : {}),
    manages: opened.manages,
    // Until they accept, the page shows nothing else of the circle, not even its other pages' names.
    ...(mustAccept ? {} : { cohortNav: navWithoutCurrent(opened) }),
  };
}

/**
 * Records that the viewer accepts the circle's ground rules (the first acceptance stands; accepting again changes
 * nothing). Only people with a role in the circle accept; an instructor looking in has nothing to accept.
 */
export async function acceptGroundRules(
  viewer: CohortViewer,
  cohortId: string,
  now = new Date(),
): Promise<void> {
  const opened = await openCohort(viewer, cohortId);
  assertCircle(opened);
  if (!opened.role || !opened.membership) {
    throw new ForbiddenError('Only members and facilitators of the circle accept its ground rules.');
  }
  await CohortMemberModel.updateOne(
    { _id: opened.membership._id, tenantId: viewer.tenantId, rulesAcceptedAt: null },
    { $set: { rulesAcceptedAt: now } },
  );
}

/**
 * Whether the viewer must still accept the ground rules of cohort `cohortId` before anything else of it opens;
 * false for anything that is not such a circle (or that they cannot open: its own pages answer that).
 */
export async function mustAcceptRulesFirst(viewer: CohortViewer, cohortId: string): Promise<boolean> {
  try {
    return needsRulesAcceptance(await openCohort(viewer, cohortId));
  } catch {
    return false;
  }
}
