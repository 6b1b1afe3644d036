import { createHash, randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Actor } from './actor';
import { SessionModel } from './session.model';

/** Refreshing `expiresAt` on every request would write on every page view; once a minute is enough. */
const touchIntervalMs = 60_000;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Starts a session for a launched actor; returns the token for the cookie (never stored in clear). */
export async function startSession(actor: Actor, idleHours: number, now = DateTime.utc()): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await SessionModel.create({
    tokenHash: hashToken(token),
    tenantId: actor.tenantId,
    userId: actor.userId,
    courseId: actor.courseId,
    role: actor.role,
    name: actor.name,
    createdAt: now.toJSDate(),
    lastSeenAt: now.toJSDate(),
    expiresAt: now.plus({ hours: idleHours }).toJSDate(),
  });
  return token;
}

/** The actor behind a session token, or undefined when it is unknown or idle past its expiry. */
export async function resumeSession(
  token: string,
  idleHours: number,
  now = DateTime.utc(),
): Promise<Actor | undefined> {
  const session = await SessionModel.findOne({ tokenHash: hashToken(token) }).lean();
  if (!session || session.expiresAt <= now.toJSDate()) return undefined;
  if (now.toMillis() - session.lastSeenAt.getTime() > touchIntervalMs) {
    await SessionModel.updateOne(
      { _id: session._id },
      { $set: { lastSeenAt: now.toJSDate(), expiresAt: now.plus({ hours: idleHours }).toJSDate() } },
    );
  }
  return {
    tenantId: String(session.tenantId),
    userId: String(session.userId),
    courseId: String(session.courseId),
    role: session.role,
    name: session.name,
  };
}

/** Ends a session (sign-out). */
export async function endSession(token: string): Promise<void> {
  await SessionModel.deleteOne({ tokenHash: hashToken(token) });
}
