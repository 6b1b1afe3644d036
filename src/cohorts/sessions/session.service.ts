import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import { NotFoundError, ValidationError } from '../../shared/errors';
import {
  CohortMemberModel,
  PairModel,
  namesOfUsers,
  openCohort,
  type Cohort,
  type CohortViewer,
  type OpenedCohort,
} from '../core';
import { formatOccurrence, type OccurrenceLabel } from './session.format';
import { CohortSessionModel, type CohortSession } from './session.model';
import {
  assertCanCancelSession,
  assertCanScheduleSessions,
  assertCanSeeSession,
  canSeeSession,
} from './session.policy';
import { occurrenceKey, occurrencesOf, type Occurrence, type SeriesRule } from './session.recurrence';
import type { SessionInput } from './session.schemas';

/** A session and the cohort it belongs to, opened for the viewer. */
export interface OpenedSession {
  opened: OpenedCohort;
  session: CohortSession;
}

/** The series rule of a stored session, in its cohort's zone. */
export function seriesOf(session: CohortSession, timeZone: string): SeriesRule & { durationMinutes: number } {
  return {
    startsAt: session.startsAt,
    timeZone,
    recurrence: session.recurrence as SeriesRule['recurrence'],
    repeatUntil: session.repeatUntil ?? null,
    durationMinutes: session.durationMinutes,
  };
}

/**
 * Every occurrence of a stored session, up to the cohort's last day (in its zone, inclusive): a series scheduled
 * before the cohort was shortened stops with it.
 */
export function sessionOccurrences(
  session: CohortSession,
  cohort: Pick<Cohort, 'timeZone'> & { endDate?: string },
): Occurrence[] {
  const occurrences = occurrencesOf(seriesOf(session, cohort.timeZone));
  const endDate = cohort.endDate;
  if (!endDate) return occurrences;
  return occurrences.filter(
    (occurrence) => DateTime.fromJSDate(occurrence.start, { zone: cohort.timeZone }).toISODate()! <= endDate,
  );
}

/**
 * Refuses, at the field, a session that would meet after the cohort's last day: a one-off dated after it, or a
 * series whose last date is after it.
 */
function assertWithinCohort(cohort: Pick<Cohort, 'timeZone' | 'endDate'>, input: SessionInput): void {
  const firstDate = DateTime.fromJSDate(input.startsAt, { zone: cohort.timeZone }).toISODate()!;
  const ends = `The cohort ends on ${cohort.endDate}`;
  if (firstDate > cohort.endDate) {
    throw new ValidationError(`${ends}.`, { date: `${ends}: choose a date on or before it.` });
  }
  if (input.repeatUntil && input.repeatUntil > cohort.endDate) {
    throw new ValidationError(`${ends}.`, {
      repeatUntil: `${ends}: choose a last date on or before ${cohort.endDate}.`,
    });
  }
}

/**
 * Opens one session of a cohort: 404 for an id that is malformed or not of this cohort (and tenant), 403 for a
 * one-to-one session of other people.
 */
export async function openSession(
  viewer: CohortViewer,
  cohortId: string,
  sessionId: string,
): Promise<OpenedSession> {
  const opened = await openCohort(viewer, cohortId);
  const session = mongoose.isValidObjectId(sessionId)
    ? await CohortSessionModel.findOne({
        _id: sessionId,
        tenantId: viewer.tenantId,
        cohortId: opened.cohort._id,
        cancelledAt: { $exists: false },
      }).lean()
    : null;
  // A cancelled session is gone for everyone (its recorded attendance stays, for listAttendance).
  if (!session) throw new NotFoundError('No such session in this cohort (it may have been cancelled).');
  assertCanSeeSession(viewer, opened, session);
  return { opened, session };
}

/** Who a session is for, in words: "Whole cohort" or "Dr. García with Jordan Lee". */
export function audienceLabel(session: CohortSession, names: Map<string, string>): string {
  if (session.kind === 'group') return 'Whole cohort';
  const mentor = names.get(String(session.mentorId)) ?? 'Mentor';
  const mentee = names.get(String(session.menteeId)) ?? 'mentee';
  return `${mentor} with ${mentee} (one-to-one)`;
}

/** How a session repeats, in words. */
export function recurrenceLabel(session: CohortSession): string {
  const until = session.repeatUntil ? ` until ${session.repeatUntil}` : '';
  if (session.recurrence === 'weekly') return `Every week${until}`;
  if (session.recurrence === 'biweekly') return `Every two weeks${until}`;
  if (session.recurrence === 'monthly') return `Every month${until}`;
  return 'Once';
}

/** The sessions of a cohort the viewer may see, oldest first (bounded: a cohort has tens, not thousands). */
export async function visibleSessions(viewer: CohortViewer, opened: OpenedCohort): Promise<CohortSession[]> {
  const sessions = await CohortSessionModel.find({
    tenantId: viewer.tenantId,
    cohortId: opened.cohort._id,
    cancelledAt: { $exists: false },
  })
    .sort({ startsAt: 1 })
    .limit(500)
    .lean();
  return sessions.filter((session) => canSeeSession(viewer, opened, session));
}

/** Names of the people one-to-one sessions mention. */
export function namesInSessions(tenantId: string, sessions: CohortSession[]): Promise<Map<string, string>> {
  const ids = sessions.flatMap((session) =>
    session.kind === 'one-to-one' ? [String(session.mentorId), String(session.menteeId)] : [],
  );
  return namesOfUsers(tenantId, ids);
}

/** A choice of the new-session form's "Who is it for" field. */
export interface AudienceChoice {
  value: string;
  label: string;
}

/**
 * Who a new session may be for: the whole cohort, or (mentoring) one of the cohort's active pairs: all of them
 * for a manager, a mentor's own for a mentor.
 */
export async function audienceChoices(viewer: CohortViewer, opened: OpenedCohort): Promise<AudienceChoice[]> {
  const choices: AudienceChoice[] = [{ value: 'group', label: 'The whole cohort (group session)' }];
  if (opened.cohort.kind !== 'mentoring') return choices;
  const pairs = await PairModel.find({
    tenantId: viewer.tenantId,
    cohortId: opened.cohort._id,
    active: true,
    ...(opened.manages ? {} : { mentorId: viewer.userId }),
  }).lean();
  const names = await namesOfUsers(
    viewer.tenantId,
    pairs.flatMap((pair) => [String(pair.mentorId), String(pair.menteeId)]),
  );
  const pairChoices = pairs
    .map((pair) => ({
      value: String(pair._id),
      label: opened.manages
        ? `One-to-one: ${names.get(String(pair.mentorId)) ?? 'Mentor'} with ${names.get(String(pair.menteeId)) ?? 'mentee'}`
        : `One-to-one with ${names.get(String(pair.menteeId)) ?? 'your mentee'}`,
    }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return [...choices, ...pairChoices];
}

/** What the new-session form needs: the cohort, its zone, and who a session may be for. */
export async function newSessionForm(viewer: CohortViewer, cohortId: string) {
  const opened = await openCohort(viewer, cohortId);
  assertCanScheduleSessions(opened);
  return { opened, audiences: await audienceChoices(viewer, opened) };
}

/**
 * Schedules a session (or series) in the cohort. A one-to-one names an active pair of the cohort, the viewer's
 * own unless they manage it; anything else is refused at the field.
 */
export async function scheduleSession(
  viewer: CohortViewer,
  cohortId: string,
  input: SessionInput,
): Promise<string> {
  const opened = await openCohort(viewer, cohortId);
  assertCanScheduleSessions(opened);
  assertWithinCohort(opened.cohort, input);
  let pair: { mentorId: unknown; menteeId: unknown } | undefined;
  if (input.audience !== 'group') {
    const choices = await audienceChoices(viewer, opened);
    const chosen = choices.some((choice) => choice.value === input.audience && choice.value !== 'group');
    pair = chosen ? ((await PairModel.findById(input.audience).lean()) ?? undefined) : undefined;
    if (!pair) {
      throw new ValidationError('Choose who the session is for.', {
        audience: 'Choose the whole cohort or one of the pairs listed.',
      });
    }
  }
  const session = await CohortSessionModel.create({
    tenantId: viewer.tenantId,
    cohortId: opened.cohort._id,
    title: input.title,
    kind: pair ? 'one-to-one' : 'group',
    ...(pair ? { mentorId: pair.mentorId, menteeId: pair.menteeId } : {}),
    location: input.location,
    startsAt: input.startsAt,
    durationMinutes: input.durationMinutes,
    recurrence: input.recurrence,
    ...(input.repeatUntil ? { repeatUntil: input.repeatUntil } : {}),
    createdBy: viewer.userId,
  });
  return String(session._id);
}

/**
 * Cancels a session (every date of a series) for the cohort's managers or its creator: it leaves the lists,
 * dashboards, calendar feeds and `.ics` downloads; attendance and ratings already recorded stay as history.
 * Cancelling twice is a 404 the second time, like any session that is gone.
 */
export async function cancelSession(
  viewer: CohortViewer,
  cohortId: string,
  sessionId: string,
  now = new Date(),
): Promise<void> {
  const { opened, session } = await openSession(viewer, cohortId, sessionId);
  assertCanCancelSession(viewer, opened, session);
  await CohortSessionModel.updateOne(
    { _id: session._id, tenantId: viewer.tenantId, cancelledAt: { $exists: false } },
    { $set: { cancelledAt: now, cancelledBy: viewer.userId } },
  );
}

/** One occurrence as a list shows it. */
export interface OccurrenceView {
  cohortId: string;
  cohortName: string;
  sessionId: string;
  title: string;
  kind: 'group' | 'one-to-one';
  location: string;
  start: Date;
  end: Date;
  durationMinutes: number;
  /** The key of the occurrence in URLs (`2026-11-06T00:00:00Z`). */
  key: string;
  /** In the zone asked for. */
  label: OccurrenceLabel;
  /** The zone `label` is in. */
  timeZone: string;
  href: string;
}

/** An occurrence of a session, labelled in `timeZone`. */
export function occurrenceView(
  cohort: Pick<Cohort, '_id' | 'name'>,
  session: CohortSession,
  occurrence: Occurrence,
  timeZone: string,
): OccurrenceView {
  const cohortId = String(cohort._id);
  const sessionId = String(session._id);
  return {
    cohortId,
    cohortName: cohort.name,
    sessionId,
    title: session.title,
    kind: session.kind as OccurrenceView['kind'],
    location: session.location,
    start: occurrence.start,
    end: occurrence.end,
    durationMinutes: session.durationMinutes,
    key: occurrenceKey(occurrence.start),
    label: formatOccurrence(occurrence.start, occurrence.end, timeZone),
    timeZone,
    href: `/cohorts/${cohortId}/sessions/${sessionId}`,
  };
}

/**
 * The viewer's next occurrences (not yet ended), soonest first, across the given cohorts they may see (default:
 * the cohorts they are an active member of), each labelled in its cohort's zone. For dashboards.
 */
export async function upcomingOccurrences(
  viewer: CohortViewer,
  options: { cohortIds?: string[]; limit?: number; now?: Date } = {},
): Promise<OccurrenceView[]> {
  const now = options.now ?? new Date();
  const cohortIds =
    options.cohortIds ??
    (
      await CohortMemberModel.find(
        { tenantId: viewer.tenantId, userId: viewer.userId, active: true },
        { cohortId: 1 },
      ).lean()
    ).map((member) => String(member.cohortId));
  const upcoming: OccurrenceView[] = [];
  for (const cohortId of new Set(cohortIds)) {
    // A cohort they may not open (another tenant's, not theirs, or no longer granted) is simply left out.
    const opened = await openCohort(viewer, cohortId).catch(() => undefined);
    if (!opened || opened.cohort.archived) continue;
    for (const session of await visibleSessions(viewer, opened)) {
      for (const occurrence of sessionOccurrences(session, opened.cohort)) {
        if (occurrence.end > now) {
          upcoming.push(occurrenceView(opened.cohort, session, occurrence, opened.cohort.timeZone));
        }
      }
    }
  }
  upcoming.sort((a, b) => a.start.getTime() - b.start.getTime());
  return upcoming.slice(0, options.limit ?? 10);
}
