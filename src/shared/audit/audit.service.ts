import { AuditCountModel } from './audit.model';

/** Values that came from a request are cut short, so a crafted request cannot make a large document. */
const maxFieldLength = 200;

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** Cut short, and '' for none: an empty string, unlike null, is a plain equality the upsert retry below needs. */
function clip(value: string | undefined): string {
  return (value ?? '').slice(0, maxFieldLength);
}

/** The start of the UTC hour `at` falls in. */
export function startOfHour(at: Date): Date {
  return new Date(Math.floor(at.getTime() / hourMs) * hourMs);
}

/**
 * Counts one event in its hour's document with a single atomic upsert (`$inc`), creating the document for the
 * first event of the hour with an expiry `retentionDays` after that hour.
 */
export async function countAuditEvent(
  event: { type: string; reason: string; issuer?: string; clientId?: string },
  retentionDays: number,
  now = new Date(),
): Promise<void> {
  const hour = startOfHour(now);
  const key = {
    type: event.type,
    reason: event.reason,
    issuer: clip(event.issuer),
    clientId: clip(event.clientId),
    hour,
  };
  const update = {
    $inc: { count: 1 },
    $setOnInsert: { expiresAt: new Date(hour.getTime() + retentionDays * dayMs) },
  };
  // Two first events of an hour racing to insert cannot make two documents: the unique index on exactly these
  // fields stops the second, and MongoDB 4.2+ retries it as an update of the winner's (SERVER-14322).
  await AuditCountModel.updateOne(key, update, { upsert: true });
}
