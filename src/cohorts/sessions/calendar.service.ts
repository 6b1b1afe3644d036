import { createHash, randomBytes } from 'node:crypto';
import { tenantTimeZone, UserModel } from '../../tenancy';
import {
  CohortMemberModel,
  CohortModel,
  isCohortOpenForExternals,
  type Cohort,
  type CohortMember,
  type CohortViewer,
} from '../core';
import { needsRulesAcceptance } from '../circles';
import { CalendarFeedModel } from './calendarFeed.model';
import { formatInstant } from './session.format';
import { buildCalendar, type CalendarEvent } from './session.ics';
import { CohortSessionModel, type CohortSession } from './session.model';
import { sessionOccurrences } from './session.service';

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** A feed token: 32 random bytes, URL-safe (256 bits: not guessable, only its hash stored). */
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

/**
 * The calendar page: whether the viewer has a live feed address, since when, and when a calendar last read it
 * (in the tenant's zone: the feed spans cohorts).
 */
export async function calendarPage(viewer: CohortViewer) {
  const timeZone = await tenantTimeZone(viewer.tenantId);
  const feed = await CalendarFeedModel.findOne({
    tenantId: viewer.tenantId,
    userId: viewer.userId,
    revokedAt: { $exists: false },
  })
    .sort({ createdAt: -1 })
    .lean();
  return feed
    ? {
        active: true,
        createdAt: formatInstant(feed.createdAt, timeZone),
        ...(feed.lastFetchedAt ? { lastFetchedAt: formatInstant(feed.lastFetchedAt, timeZone) } : {}),
      }
    : { active: false };
}

/** Ends every live feed address of the viewer (it answers 404 from now on). */
export async function revokeCalendarFeed(viewer: CohortViewer, now = new Date()): Promise<void> {
  await CalendarFeedModel.updateMany(
    { tenantId: viewer.tenantId, userId: viewer.userId, revokedAt: { $exists: false } },
    { $set: { revokedAt: now } },
  );
}

/**
 * Makes a new feed address for the viewer and returns its token (shown once: only its hash is kept). The
 * previous address, if any, stops working: one live address per person.
 */
export async function createCalendarFeed(viewer: CohortViewer, now = new Date()): Promise<string> {
  await revokeCalendarFeed(viewer, now);
  const token = randomBytes(32).toString('base64url');
  await CalendarFeedModel.create({
    tenantId: viewer.tenantId,
    userId: viewer.userId,
    tokenHash: hashOf(token),
  });
  return token;
}

/** A session's occurrences as calendar events (the same UIDs in a session's download and in the feed). */
export function sessionEvents(
  cohort: Pick<Cohort, '_id' | 'name' | 'timeZone'> & { endDate?: string },
  session: CohortSession,
  publicUrl: string,
): CalendarEvent[] {
  const url = `${publicUrl}/cohorts/${String(cohort._id)}/sessions/${String(session._id)}`;
  return sessionOccurrences(session, cohort).map((occurrence) => ({
    uid: `${String(session._id)}-${occurrence.start.getTime()}@rounds`,
    start: occurrence.start,
    end: occurrence.end,
    summary: session.title,
    description: `${cohort.name} (Rounds). Times are set in ${cohort.timeZone}. ${url}`,
    ...(session.location ? { location: session.location } : {}),
    url,
  }));
}

/** Whether a member sees a session in their feed: the cohort's group sessions and their own one-to-ones. */
function inFeed(session: CohortSession, userId: string): boolean {
  if (session.kind === 'group') return true;
  return [session.mentorId, session.menteeId].some((id) => id !== undefined && String(id) === userId);
}

/**
 * Whether the member has yet to accept a peer circle's ground rules (a circle without rules needs no acceptance):
 * until then the circle shows them nothing but its rules, its sessions in their calendar included.
 */
function rulesStillToAccept(
  cohort: Cohort,
  membership: Pick<CohortMember, 'role' | 'rulesAcceptedAt'> | undefined,
): boolean {
  return needsRulesAcceptance({
    cohort,
    membership: membership as CohortMember | undefined,
    role: membership?.role,
    manages: false,
  });
}

/**
 * The calendar of a feed token: every occurrence of the sessions of the person's active, running cohorts (a peer
 * circle's only once they accepted its ground rules). An
 * unknown, malformed or revoked token gives undefined (the route answers 404 and says nothing more).
 */
export async function calendarFeed(
  token: string,
  publicUrl: string,
  now = new Date(),
): Promise<string | undefined> {
  if (!tokenPattern.test(token)) return undefined;
  const feed = await CalendarFeedModel.findOne({ tokenHash: hashOf(token) }).lean();
  if (!feed || feed.revokedAt) return undefined;
  const [user, memberships] = await Promise.all([
    UserModel.findOne({ _id: feed.userId, tenantId: feed.tenantId }, { subject: 1 }).lean(),
    CohortMemberModel.find(
      { tenantId: feed.tenantId, userId: feed.userId, active: true },
      { cohortId: 1, role: 1, rulesAcceptedAt: 1 },
    ).lean(),
  ]);
  if (!user) return undefined;
  const external = user.subject.startsWith('account:');
  const cohorts = (
    await CohortModel.find({
      tenantId: feed.tenantId,
      _id: { $in: memberships.map((member) => member.cohortId) },
      archived: false,
    }).lean()
  ).filter(
    (cohort) =>
      (!external || isCohortOpenForExternals(cohort, now)) &&
      !rulesStillToAccept(
        cohort,
        memberships.find((member) => String(member.cohortId) === String(cohort._id)),
      ),
  );
  const sessions = await CohortSessionModel.find({
    tenantId: feed.tenantId,
    cohortId: { $in: cohorts.map((cohort) => cohort._id) },
    cancelledAt: { $exists: false },
  }).lean();
  const events = sessions
    .filter((session) => inFeed(session, String(feed.userId)))
    .flatMap((session) => {
      const cohort = cohorts.find((item) => String(item._id) === String(session.cohortId))!;
      return sessionEvents(cohort, session, publicUrl);
    });
  await CalendarFeedModel.updateOne({ _id: feed._id }, { $set: { lastFetchedAt: now } });
  return buildCalendar('Rounds cohort sessions', events, now);
}
