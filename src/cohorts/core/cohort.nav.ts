import type { OpenedCohort } from './cohort.access';

/** The pages of a cohort's own navigation; each part names the one it renders as `current`. */
export type CohortPage =
  | 'overview'
  | 'people'
  | 'matching'
  | 'profile'
  | 'sessions'
  | 'assignments'
  | 'reflections'
  | 'check-ins'
  | 'health'
  | 'invitations'
  | 'settings';

export interface CohortNavLink {
  href: string;
  label: string;
  current: boolean;
}

/**
 * The links of the cohort navigation (views/partials/cohortNav.hbs) for this viewer: what their role in the
 * cohort lets them open, nothing more, so nobody is shown a door that answers 403.
 */
export function cohortNavFor(
  opened: OpenedCohort,
  current: CohortPage,
): { cohortName: string; links: CohortNavLink[] } {
  const base = `/cohorts/${String(opened.cohort._id)}`;
  const mentoring = opened.cohort.kind === 'mentoring';
  const entries: Array<[CohortPage, string, string, boolean]> = [
    ['overview', base, 'Overview', true],
    [
      'profile',
      `${base}/profile`,
      'My matching profile',
      mentoring && (opened.role === 'mentor' || opened.role === 'mentee'),
    ],
    ['reflections', `${base}/reflections`, 'My reflections', mentoring && opened.role === 'mentee'],
    [
      'check-ins',
      `${base}/check-ins`,
      'Check-ins',
      !mentoring && (opened.role !== undefined || opened.manages),
    ],
    ['sessions', `${base}/sessions`, 'Sessions', true],
    ['people', `${base}/people`, 'People', opened.manages],
    ['matching', `${base}/matching`, 'Matching', mentoring && opened.manages],
    ['assignments', `${base}/assignments`, 'Reflection assignments', mentoring && opened.manages],
    ['health', `${base}/health`, 'Cohort health', opened.manages],
    ['invitations', `${base}/invitations`, 'External mentors', mentoring && opened.manages],
    ['settings', `${base}/settings`, 'Settings', opened.manages],
  ];
  return {
    cohortName: opened.cohort.name,
    links: entries
      .filter(([, , , shown]) => shown)
      .map(([page, href, label]) => ({ href, label, current: page === current })),
  };
}
