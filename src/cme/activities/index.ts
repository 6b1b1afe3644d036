// The door to cme/activities/: CME activities and their versions (issue 13, item 1): the admin pages that draft,
// publish, version and close them, and the look-ups claims, certificates and reports use.
export {
  findActivityVersion,
  latestPublishedVersion,
  publishedActivitiesForCourse,
  publishedActivitiesOf,
  versionsOf,
} from './activity.queries';
export {
  accreditationStatementFor,
  defaultEvaluationQuestions,
  designationStatementFor,
} from './activity.statements';
export type { StatementFacts } from './activity.statements';
export { activityInputSchema, activityKeyPattern, acpeCreditTypes, uanPattern } from './activity.schemas';
export type { ActivityInput, ActivityInputDraft } from './activity.schemas';
export {
  closeActivity,
  createActivity,
  publishActivity,
  saveDraft,
  startNewVersion,
} from './activity.service';
export { publishProblems } from './activity.policy';
export { activitiesRouter } from './activities.routes';
