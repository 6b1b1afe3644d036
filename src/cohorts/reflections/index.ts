// The door to cohorts/reflections/: reflection assignments, mentees' reflections, the mentors' grading queue and
// grades sent to the LMS (issue 12, item 5).
export { reflectionsRouter } from './reflections.routes';
export { gradingRouter } from './grading.routes';
export { queueSummary } from './grading.service';
export { reflectionsOfMentee, overdueCount } from './summary.service';
export type { MenteeReflectionSummary } from './summary.service';
export { createAssignment, listReflectionTargets, findReflectionTarget } from './assignment.service';
export { submitReflection } from './reflection.service';
export type { ReflectionTarget } from './assignment.service';
export { ReflectionAssignmentModel } from './assignment.model';
export type { ReflectionAssignment } from './assignment.model';
export { CohortReflectionModel, ReflectionVersionModel, reflectionTextMaxLength } from './reflection.model';
export { AssignmentLinkModel } from './assignmentLink.model';
export { rubricMaximum } from './rubric';
export type { Rubric } from './rubric';
export { refreshMenteeQueue } from './queue.refresh';
