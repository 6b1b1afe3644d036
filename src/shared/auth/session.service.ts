import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Actor } from './actor';
import { SessionModel } from './session.model';
import { sha256Hex } from '../crypto/digest';
import { storedCourseRole } from '../../tenancy';

/** Refreshing `expiresAt` on every request would write on every page view; once a minute is enough. */
const touchIntervalMs = 60_000;

/** How long a session lives: `idleHours` after its last use, and never past `absoluteHours` after sign-in. */
export interface SessionLifetime {
  idleHours: number;
  absoluteHours: number;
}

/**
 * The one deadline a session has, checked on resume and swept when past: the idle limit from `now`, capped by
 * the absolute limit from sign-in, so a stolen token used every few hours still dies (OWASP Session Management
 * Cheat Sheet, "Absolute Timeout").
 */
function deadline(createdAt: DateTime, now: DateTime, lifetime: SessionLifetime): Date {
  const idle = now.plus({ hours: lifetime.idleHours });
  const absolute = createdAt.plus({ hours: lifetime.absoluteHours });
  return (idle < absolute ? idle : absolute).toJSDate();
}

/**
 * Starts a session for a launched actor; returns the token for the cookie (never stored in clear). `replacing`,
 * the token of a session this browser held, ends that one in the same single write: its record becomes the new
 * session (a new token, a new start), or the new session is inserted when it is gone.
 */
export async function startSession(
  actor: Actor,
  lifetime: SessionLifetime,
  now: DateTime = DateTime.utc(),
  replacing?: string,
): Promise<string> {
  return storeSession(
    {
      tenantId: actor.tenantId,
      userId: actor.userId,
      courseId: actor.courseId,
      role: actor.role,
      name: actor.name,
      courseTitle: actor.courseTitle,
      ...(actor.resourceLinkId ? { resourceLinkId: actor.resourceLinkId } : {}),
      ...(actor.target ? { target: actor.target } : {}),
    },
    lifetime,
    now,
    replacing,
  );
}

/** What a live session stands for: an LTI launch's actor, or a signed-in account (issue 11). */
export type ResumedSession =
  | { kind: 'lti'; actor: Actor }
  | { kind: 'account'; accountId: string; mfaVerified: boolean; createdAt: Date };

/**
 * The live session behind a token, or undefined when it is unknown, idle too long or past its absolute lifetime;
 * each use moves its idle deadline (at most once a minute). One read, whatever kind of session it is.
 */
export async function resumeStoredSession(
  token: string,
  lifetime: SessionLifetime,
  now: DateTime = DateTime.utc(),
): Promise<ResumedSession | undefined> {
  const session = await SessionModel.findOne({ tokenHash: sha256Hex(token) }).lean();
  if (!session || session.expiresAt <= now.toJSDate()) return undefined;
  // Checked on read as well: a deadline stored before the absolute limit was lowered must not outlive it.
  const createdAt = DateTime.fromJSDate(session.createdAt, { zone: 'utc' });
  if (createdAt.plus({ hours: lifetime.absoluteHours }) <= now) return undefined;
  if (now.toMillis() - session.lastSeenAt.getTime() > touchIntervalMs) {
    await SessionModel.updateOne(
      { _id: session._id },
      { $set: { lastSeenAt: now.toJSDate(), expiresAt: deadline(createdAt, now, lifetime) } },
    );
  }
  if (session.accountId) {
    return {
      kind: 'account',
      accountId: String(session.accountId),
      mfaVerified: session.mfaVerified === true,
      createdAt: session.createdAt,
    };
  }
  const role = storedCourseRole(session.role);
  if (!role) return undefined;
  return {
    kind: 'lti',
    actor: {
      tenantId: String(session.tenantId),
      userId: String(session.userId),
      courseId: String(session.courseId),
      role,
      name: session.name,
      courseTitle: session.courseTitle,
      ...(session.resourceLinkId ? { resourceLinkId: session.resourceLinkId } : {}),
      ...(session.target ? { target: session.target } : {}),
    },
  };
}

/** The launched actor behind a session token, or undefined (unknown, expired, or an account's session). */
export async function resumeSession(
  token: string,
  lifetime: SessionLifetime,
  now: DateTime = DateTime.utc(),
): Promise<Actor | undefined> {
  const resumed = await resumeStoredSession(token, lifetime, now);
  return resumed?.kind === 'lti' ? resumed.actor : undefined;
}

/**
 * Starts a session for a signed-in account; returns the cookie's token. As for a launch, `replacing` (the
 * browser's previous session token) is ended in the same write, so signing in always rotates the session id
 * (OWASP Session Management Cheat Sheet, "Renew the Session ID After Any Privilege Level Change").
 */
export async function startAccountSession(
  accountId: string,
  factors: { mfaVerified: boolean },
  lifetime: SessionLifetime,
  replacing?: string,
  now: DateTime = DateTime.utc(),
): Promise<string> {
  return storeSession({ accountId, mfaVerified: factors.mfaVerified }, lifetime, now, replacing);
}

/**
 * Writes a new session holding `fields` and returns its token (only its hash is stored). `replacing`, the token of
 * a session this browser held, ends that one in the same single write: its record becomes the new session (a new
 * token, a new start), or the new session is inserted when it is gone.
 */
async function storeSession(
  fields: object,
  lifetime: SessionLifetime,
  now: DateTime,
  replacing: string | undefined,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const session = {
    tokenHash: sha256Hex(token),
    ...fields,
    createdAt: now.toJSDate(),
    lastSeenAt: now.toJSDate(),
    expiresAt: deadline(now, now, lifetime),
  };
  if (replacing) {
    await SessionModel.replaceOne({ tokenHash: sha256Hex(replacing) }, session, { upsert: true });
  } else {
    await SessionModel.create(session);
  }
  return token;
}

/**
 * Ends every session of an account but the one whose token is `except` (the browser that asked, when it stays
 * signed in): sign-out everywhere, a password change or reset.
 */
export async function endAccountSessions(accountId: string, except?: string): Promise<number> {
  const filter = except ? { accountId, tokenHash: { $ne: sha256Hex(except) } } : { accountId };
  return (await SessionModel.deleteMany(filter)).deletedCount;
}

/** Ends a session (sign-out, or a new launch in the same browser). */
export async function endSession(token: string): Promise<void> {
  await SessionModel.deleteOne({ tokenHash: sha256Hex(token) });
}
