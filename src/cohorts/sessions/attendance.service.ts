import mongoose from 'mongoose';
import { NotFoundError, ValidationError } from '../../shared/errors';
import { CohortModel, listCohortMembers, namesOfUsers, type CohortViewer } from '../core';
import { AttendanceModel } from './attendance.model';
import { CohortSessionModel, type CohortSession } from './session.model';
import { assertCanTakeAttendance } from './session.policy';
import { isOccurrenceOf, parseOccurrenceKey, type Occurrence } from './session.recurrence';
import { openSession, seriesOf, type OpenedSession } from './session.service';

/** A session and one of its occurrences, opened for the viewer (404 when the key names no occurrence). */
export interface OpenedOccurrence extends OpenedSession {
  occurrence: Occurrence;
}

export async function openOccurrence(
  viewer: CohortViewer,
  cohortId: string,
  sessionId: string,
  key: string,
): Promise<OpenedOccurrence> {
  const opened = await openSession(viewer, cohortId, sessionId);
  const start = parseOccurrenceKey(key);
  const rule = seriesOf(opened.session, opened.opened.cohort.timeZone);
  if (!start || !isOccurrenceOf(rule, start))
    throw new NotFoundError('The session does not meet at that time.');
  return {
    ...opened,
    occurrence: { start, end: new Date(start.getTime() + opened.session.durationMinutes * 60_000) },
  };
}

/** Someone expected at a session, with what was recorded for them (undefined: not yet taken). */
export interface Attendee {
  userId: string;
  name: string;
  role: string;
  present?: boolean;
}

/**
 * Who is expected at a session: for a group session the cohort's active members (mentors, facilitators
 * included: the CME issue counts their attendance too), for a one-to-one its two people.
 */
async function expectedPeople(session: CohortSession): Promise<Array<Omit<Attendee, 'present'>>> {
  const tenantId = String(session.tenantId);
  const members = await listCohortMembers(tenantId, String(session.cohortId), { activeOnly: true });
  if (session.kind === 'group') return members;
  const pair = [String(session.mentorId), String(session.menteeId)];
  const names = await namesOfUsers(tenantId, pair);
  return pair.map((userId, index) => ({
    userId,
    name: names.get(userId) ?? 'Unknown person',
    role: members.find((member) => member.userId === userId)?.role ?? (index === 0 ? 'mentor' : 'mentee'),
  }));
}

/** The attendance sheet of one occurrence: whether it has started, and each expected person as recorded. */
export async function attendanceSheet(
  viewer: CohortViewer,
  cohortId: string,
  sessionId: string,
  key: string,
  now = new Date(),
) {
  const opened = await openOccurrence(viewer, cohortId, sessionId, key);
  assertCanTakeAttendance(viewer, opened.opened, opened.session);
  const [people, records] = await Promise.all([
    expectedPeople(opened.session),
    AttendanceModel.find({ sessionId: opened.session._id, occurrenceStart: opened.occurrence.start }).lean(),
  ]);
  const recorded = new Map(records.map((record) => [String(record.userId), record.present]));
  return {
    ...opened,
    started: opened.occurrence.start <= now,
    recorded: records.length > 0,
    people: people.map((person) => ({ ...person, present: recorded.get(person.userId) })),
  };
}

/**
 * Records one occurrence's attendance: the people ticked present, every other expected person absent (one
 * document each, overwritten on correction). Refused before the occurrence starts.
 */
export async function recordAttendance(
  viewer: CohortViewer,
  cohortId: string,
  sessionId: string,
  key: string,
  presentUserIds: string[],
  now = new Date(),
): Promise<void> {
  const sheet = await attendanceSheet(viewer, cohortId, sessionId, key, now);
  if (!sheet.started) {
    throw new ValidationError('Attendance opens when the session starts.', {
      form: 'You can take attendance once the session has started.',
    });
  }
  const present = new Set(presentUserIds);
  const objectId = (id: string) => new mongoose.Types.ObjectId(id);
  await AttendanceModel.bulkWrite(
    sheet.people.map((person) => ({
      updateOne: {
        filter: {
          sessionId: sheet.session._id,
          occurrenceStart: sheet.occurrence.start,
          userId: objectId(person.userId),
        },
        update: {
          $set: {
            tenantId: objectId(viewer.tenantId),
            cohortId: sheet.opened.cohort._id,
            present: present.has(person.userId),
            recordedBy: objectId(viewer.userId),
            recordedAt: now,
          },
        },
        upsert: true,
      },
    })),
  );
}

/** One attended (or missed) occurrence, for the CME issue's requirement checks. */
export interface AttendanceRecord {
  cohortId: string;
  cohortName: string;
  sessionId: string;
  title: string;
  occurrenceStart: Date;
  durationMinutes: number;
  present: boolean;
}

/**
 * A person's recorded attendance across the tenant's cohorts, oldest first, optionally within [from, to) by
 * occurrence start. Absences are listed too (present: false), so a caller can tell "missed" from "not held".
 */
export async function listAttendance(
  tenantId: string,
  userId: string,
  range: { from?: Date; to?: Date } = {},
): Promise<AttendanceRecord[]> {
  if (!mongoose.isValidObjectId(tenantId) || !mongoose.isValidObjectId(userId)) return [];
  const when: Record<string, Date> = {};
  if (range.from) when.$gte = range.from;
  if (range.to) when.$lt = range.to;
  const records = await AttendanceModel.find({
    tenantId,
    userId,
    ...(range.from || range.to ? { occurrenceStart: when } : {}),
  })
    .sort({ occurrenceStart: 1 })
    .lean();
  const [sessions, cohorts] = await Promise.all([
    CohortSessionModel.find({ tenantId, _id: { $in: records.map((record) => record.sessionId) } }).lean(),
    CohortModel.find(
      { tenantId, _id: { $in: records.map((record) => record.cohortId) } },
      { name: 1 },
    ).lean(),
  ]);
  return records.flatMap((record) => {
    const session = sessions.find((item) => String(item._id) === String(record.sessionId));
    if (!session) return [];
    const cohort = cohorts.find((item) => String(item._id) === String(record.cohortId));
    return [
      {
        cohortId: String(record.cohortId),
        cohortName: cohort?.name ?? '',
        sessionId: String(record.sessionId),
        title: session.title,
        occurrenceStart: record.occurrenceStart,
        durationMinutes: session.durationMinutes,
        present: record.present,
      },
    ];
  });
}

/** Attendance of one occurrence where it was taken: how many of those recorded were present. */
export interface OccurrenceAttendance {
  sessionId: string;
  title: string;
  occurrenceStart: Date;
  present: number;
  recorded: number;
  rate: number;
}

/** A cohort's attendance rates. */
export interface AttendanceRates {
  /** Per person: occurrences attended of those held (taken) for them. */
  perMember: Array<{ userId: string; name: string; attended: number; held: number; rate: number | null }>;
  /** Per occurrence where attendance was taken, oldest first (the health page's chart). */
  perOccurrence: OccurrenceAttendance[];
  /** Present records over all records, 0–1; null before any attendance was taken. */
  overall: number | null;
}

const rateOf = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/**
 * Attendance rates of a cohort from what was recorded: "held" counts occurrences whose attendance was taken
 * with the person on the sheet. For the mentor and health dashboards (never well-being data).
 */
export async function attendanceRates(tenantId: string, cohortId: string): Promise<AttendanceRates> {
  if (!mongoose.isValidObjectId(tenantId) || !mongoose.isValidObjectId(cohortId)) {
    return { perMember: [], perOccurrence: [], overall: null };
  }
  const [records, sessions, members] = await Promise.all([
    AttendanceModel.find(
      { tenantId, cohortId },
      { sessionId: 1, occurrenceStart: 1, userId: 1, present: 1 },
    ).lean(),
    CohortSessionModel.find({ tenantId, cohortId }, { title: 1 }).lean(),
    listCohortMembers(tenantId, cohortId),
  ]);
  const perPerson = new Map<string, { attended: number; held: number }>();
  const perOccurrence = new Map<string, OccurrenceAttendance>();
  for (const record of records) {
    const person = perPerson.get(String(record.userId)) ?? { attended: 0, held: 0 };
    person.held += 1;
    if (record.present) person.attended += 1;
    perPerson.set(String(record.userId), person);
    const occurrenceId = `${String(record.sessionId)}|${record.occurrenceStart.toISOString()}`;
    const occurrence = perOccurrence.get(occurrenceId) ?? {
      sessionId: String(record.sessionId),
      title: sessions.find((session) => String(session._id) === String(record.sessionId))?.title ?? '',
      occurrenceStart: record.occurrenceStart,
      present: 0,
      recorded: 0,
      rate: 0,
    };
    occurrence.recorded += 1;
    if (record.present) occurrence.present += 1;
    occurrence.rate = occurrence.present / occurrence.recorded;
    perOccurrence.set(occurrenceId, occurrence);
  }
  const names = new Map(members.map((member) => [member.userId, member.name]));
  const missing = [...perPerson.keys()].filter((userId) => !names.has(userId));
  for (const [userId, name] of await namesOfUsers(tenantId, missing)) names.set(userId, name);
  const everyone = new Set([
    ...members.filter((member) => member.active).map((m) => m.userId),
    ...perPerson.keys(),
  ]);
  const attended = records.filter((record) => record.present).length;
  return {
    perMember: [...everyone].map((userId) => {
      const counts = perPerson.get(userId) ?? { attended: 0, held: 0 };
      return {
        userId,
        name: names.get(userId) ?? 'Unknown person',
        ...counts,
        rate: rateOf(counts.attended, counts.held),
      };
    }),
    perOccurrence: [...perOccurrence.values()].sort(
      (a, b) => a.occurrenceStart.getTime() - b.occurrenceStart.getTime(),
    ),
    overall: rateOf(attended, records.length),
  };
}
