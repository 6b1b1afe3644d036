// The door to cme/requirements/: what an activity requires of a learner, whether it is met and when (the
// completion date claims and certificates use), and the post-test and evaluation pages.
export { requirementStatus, evaluationPath, postTestPath } from './requirement.status';
export type { Requirement, RequirementFacts, RequirementsReport } from './requirement.status';
export { requirementsFor } from './requirements.service';
export type { RequirementsActivity, RequirementsLearner } from './requirements.service';
export { requirementsRouter } from './requirements.routes';
