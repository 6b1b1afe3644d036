import type { Logger } from './logger';
import { AuditCountModel } from './audit/audit.model';
import { SessionModel } from './auth/session.model';
import { SessionHandoffModel, LoginStateModel } from '../lti/launch';
import { removeStaleRegistrations } from '../lti/registration';
import { sweepAccountRecords } from '../accounts';
import { sweepExpiredExportFiles } from '../cme/exports';

/**
 * Deletes expired sessions, LTI login states, new-window handoff codes and audit counts past their retention.
 * Real MongoDB expires them with TTL indexes too; the database stand-in never does. With
 * `pendingRegistrationDays`, also Dynamic Registrations no operator approved in that time. Returns how many it
 * removed.
 */
export async function sweepExpired(now = new Date(), pendingRegistrationDays?: number): Promise<number> {
  const expired = { expiresAt: { $lte: now } };
  let removed = (await SessionModel.deleteMany(expired)).deletedCount;
  removed += (await LoginStateModel.deleteMany(expired)).deletedCount;
  removed += (await SessionHandoffModel.deleteMany(expired)).deletedCount;
  removed += (await AuditCountModel.deleteMany(expired)).deletedCount;
  // Sign-in throttles of every e-mail anyone typed, set-password links long expired, and account audit entries
  // past config auditRetentionDays (each carries its expiry from when it was written).
  removed += await sweepAccountRecords(now);
  // CME export jobs' files past their keep time (the record stays, with fileDeletedAt).
  removed += await sweepExpiredExportFiles(now);
  if (pendingRegistrationDays !== undefined) {
    removed += await removeStaleRegistrations(pendingRegistrationDays, now);
  }
  return removed;
}

/** Runs the sweep every `intervalSeconds`; returns a function that stops it. */
export function startSweeper(
  options: { intervalSeconds: number; pendingRegistrationDays: number },
  logger: Logger,
): () => void {
  const timer = setInterval(() => {
    sweepExpired(new Date(), options.pendingRegistrationDays)
      .then((removed) => removed > 0 && logger.debug({ removed }, 'swept expired documents'))
      .catch((error) => logger.warn({ err: error }, 'sweep failed; will retry'));
  }, options.intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
