import mongoose from 'mongoose';
import type { Logger } from './logger';
import { SessionModel } from './auth/session.model';
import { SessionHandoffModel } from '../lti/handoff.service';
import { LoginStateModel } from '../lti/loginState.model';

/**
 * ltijs' short-lived collections and their lifetimes (its schemas' `expires`). Real MongoDB expires them with TTL
 * indexes; the database stand-in never does, so Rounds deletes them itself.
 */
const ltijsLifetimesSeconds: Record<string, number> = {
  nonces: 10 * 60,
  states: 600,
  accesstokens: 3600,
  idtokens: 24 * 3600,
  contexttokens: 24 * 3600,
};

/** Deletes expired sessions, LTI login states and ltijs' expired nonce/state/token documents. Returns how many it removed. */
export async function sweepExpired(now = new Date()): Promise<number> {
  let removed = (await SessionModel.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
  removed += (await LoginStateModel.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
  removed += (await SessionHandoffModel.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
  const db = mongoose.connection.db;
  if (!db) return removed;
  for (const [collection, seconds] of Object.entries(ltijsLifetimesSeconds)) {
    const cutoff = new Date(now.getTime() - seconds * 1000);
    removed += (await db.collection(collection).deleteMany({ createdAt: { $lte: cutoff } })).deletedCount;
  }
  return removed;
}

/** Runs the sweep every `intervalSeconds`; returns a function that stops it. */
export function startSweeper(intervalSeconds: number, logger: Logger): () => void {
  const timer = setInterval(() => {
    sweepExpired()
      .then((removed) => removed > 0 && logger.debug({ removed }, 'swept expired documents'))
      .catch((error) => logger.warn({ err: error }, 'sweep failed; will retry'));
  }, intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
