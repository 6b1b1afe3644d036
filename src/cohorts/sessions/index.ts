// The door to cohorts/sessions/: group and one-to-one sessions, their occurrences across time zones, .ics
// downloads and personal calendar feeds, attendance and ratings (issue 12, item 4).
export { sessionsRouter } from './sessions.routes';
export { calendarRouter } from './calendar.routes';
export { listAttendance, attendanceRates } from './attendance.service';
export type { AttendanceRecord, AttendanceRates, OccurrenceAttendance } from './attendance.service';
export { scheduleSession, upcomingOccurrences } from './session.service';
export type { OccurrenceView } from './session.service';
export { ratingSummary } from './rating.service';
export type { SessionRatingSummary } from './rating.service';
export { CohortSessionModel } from './session.model';
export type { CohortSession } from './session.model';
export { AttendanceModel } from './attendance.model';
export { occurrencesOf, occurrenceStarts, maxOccurrences } from './session.recurrence';
export type { Occurrence, Recurrence, SeriesRule } from './session.recurrence';
export { formatOccurrence } from './session.format';
export type { OccurrenceLabel } from './session.format';
