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
export {
  activeMenteeIdsOf,
  activeMentorIdsOf,
  listCohortMembers,
  mentorCapacity,
  namesOfUsers,
  personName,
} from './cohort.members';
export type { CohortMemberSource, CohortMemberSummary } from './cohort.members';
export { listViewerCohorts } from './cohort.list';
export { addCohortMember } from './people.service';
export type { ViewerCohort } from './cohort.list';
export { cohortsCoreRouter } from './core.router';
export { startCohortRosterSync, queueRunningCohortRosterSyncs } from './cohort.rosterSync';
export { joinCourseCohorts, reconcileCohortRosters, rosterRoleOf } from './cohort.roster';
export { assertCanCreateCohort, canCreateCohort } from './cohort.policy';
export { cohortRoleLabels, createCohort, kindLabels, readableDate, rolesOfKind } from './cohort.service';
export type { CohortForm } from './cohort.schemas';
