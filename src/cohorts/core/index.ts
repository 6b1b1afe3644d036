// The door to cohorts/core/: cohorts, their people, who is looking, and the cohort-level permissions.
export { CohortModel, cohortKinds } from './cohort.model';
export type { Cohort, CohortKind } from './cohort.model';
export { CohortMemberModel, cohortRoles } from './cohortMember.model';
export type { CohortMember, CohortRole } from './cohortMember.model';
export { PairModel } from './pair.model';
export type { Pair } from './pair.model';
export { externalMentorSubject, externalViewerFor, requireCohortViewer } from './cohortViewer';
export type { CohortViewer } from './cohortViewer';
export { cohortToday, isCohortOpenForExternals } from './cohort.dates';
export {
  activeCohortRole,
  assertCanManageCohort,
  assertCanViewCohort,
  canManageCohort,
  canViewCohort,
} from './cohort.policy';
export { openCohort, openManagedCohort } from './cohort.access';
export type { OpenedCohort } from './cohort.access';
export { cohortNavFor } from './cohort.nav';
export type { CohortNavLink, CohortPage } from './cohort.nav';
