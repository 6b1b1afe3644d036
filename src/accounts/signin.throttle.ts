import { SignInThrottleModel } from './signinThrottle.model';

/** The lockout rule (config): `failuresBeforeLock` failures within `lockMinutes` lock the e-mail that long. */
export interface LockoutRule {
  failuresBeforeLock: number;
  lockMinutes: number;
}

/**
 * An attempt's place in the e-mail's count: `reserved` at instant `at` (`last` when it filled the count, so its
 * failure locks the e-mail), or `locked` until then.
 */
export type Reservation = { kind: 'reserved'; at: Date; last: boolean } | { kind: 'locked'; until: Date };

const noLiveLock = (now: Date) => ({
  $or: [{ lockedUntil: { $exists: false } }, { lockedUntil: null }, { lockedUntil: { $lte: now } }],
});

/**
 * Counts an attempt BEFORE its password or code is checked (NIST SP 800-63B §5.2.2), in one conditional write:
 * a failure instant is pushed only while the e-mail is not locked and fewer than the rule's count of attempts lie
 * inside the window. So requests sent in parallel cannot each pass a check made before any of them is counted:
 * at most `failuresBeforeLock` are ever checked. The record exists for any e-mail typed, known or not.
 */
export async function reserveAttempt(key: string, rule: LockoutRule, now: Date): Promise<Reservation> {
  const windowStart = new Date(now.getTime() - rule.lockMinutes * 60_000);
  try {
    await SignInThrottleModel.updateOne(
      { key },
      { $setOnInsert: { key, failures: [], updatedAt: now } },
      { upsert: true },
    );
  } catch (error) {
    // Two first attempts for one e-mail raced to create it: the other one did.
    if ((error as { code?: number }).code !== 11000) throw error;
  }
  // `failures` keeps the latest `failuresBeforeLock` instants, oldest first: the count is full when it holds
  // that many and the oldest is still inside the window.
  const reserved = await SignInThrottleModel.findOneAndUpdate(
    {
      key,
      $and: [
        noLiveLock(now),
        {
          $or: [
            { [`failures.${rule.failuresBeforeLock - 1}`]: { $exists: false } },
            { 'failures.0': { $lte: windowStart } },
          ],
        },
      ],
    },
    {
      $push: { failures: { $each: [now], $slice: -rule.failuresBeforeLock } },
      $set: { updatedAt: now },
    },
    { new: true },
  ).lean();
  if (reserved) {
    const counted = reserved.failures.filter((at) => at > windowStart).length;
    return { kind: 'reserved', at: now, last: counted >= rule.failuresBeforeLock };
  }
  const throttle = await SignInThrottleModel.findOne({ key }).lean();
  if (throttle?.lockedUntil && throttle.lockedUntil > now)
    return { kind: 'locked', until: throttle.lockedUntil };
  // The count is full but the attempt that filled it is still being checked: refused until its oldest failure
  // leaves the window (or the lock that attempt sets, which the next try will show).
  const oldest = throttle?.failures[0]?.getTime() ?? now.getTime();
  return { kind: 'locked', until: new Date(Math.max(now.getTime(), oldest + rule.lockMinutes * 60_000)) };
}

/**
 * Locks the e-mail after the failure of the attempt that filled the count. Only the failure that finds it
 * unlocked locks it, so racing failures cannot extend the lock. Returns the lock's end, or undefined.
 */
export async function lockAfterFailure(key: string, rule: LockoutRule, now: Date): Promise<Date | undefined> {
  const until = new Date(now.getTime() + rule.lockMinutes * 60_000);
  const locked = await SignInThrottleModel.updateOne(
    { key, ...noLiveLock(now) },
    { $set: { lockedUntil: until, failures: [], updatedAt: now } },
  );
  return locked.modifiedCount === 1 ? until : undefined;
}

/**
 * Takes back a reserved attempt that succeeded but completes nothing yet (a right password before its second
 * factor): the e-mail's other failures stay counted, so wrong codes between right passwords still lock it.
 */
export async function takeBackAttempt(key: string, at: Date): Promise<void> {
  await SignInThrottleModel.updateOne({ key }, { $pull: { failures: at } });
}

/** Forgets the e-mail's failures after a completed sign-in. */
export async function clearFailures(key: string, now: Date): Promise<void> {
  await SignInThrottleModel.updateOne({ key }, { $set: { failures: [], updatedAt: now } });
}
