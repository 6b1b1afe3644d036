// The door to lti/services/: what the rest of Rounds may use. LTI Advantage services (AGS grades, NRPS rosters) through the persisted outbox and its worker.
export { OutboxJobModel } from './outbox.model';
export type { OutboxJob } from './outbox.model';
export { assertCanManageOutbox } from './outbox.policy';
export { startLmsServices } from './outbox.runtime';
export type { OutboxWorker } from './outbox.runtime';
export { requeueOutboxJobs } from './outbox.service';
export { ResourceLinkModel } from './resourceLink.model';
export { recordResourceLink } from './resourceLink.service';
export { onRosterApplied, queueCourseRosterSync, requestRosterSync } from './roster.service';
export type { RosterAppliedEvent, RosterAppliedListener } from './roster.service';
export { submitGrade } from './grades.service';
export type { GradeSubmission } from './grades.service';
