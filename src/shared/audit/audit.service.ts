import { AuditEventModel } from './audit.model';

/** Values that came from a request are cut short, so a crafted request cannot fill the audit log. */
const maxFieldLength = 200;

function clip(value: string | undefined): string | undefined {
  return value === undefined ? undefined : value.slice(0, maxFieldLength);
}

/** Appends one audit record. */
export async function recordAuditEvent(event: {
  type: string;
  reason: string;
  issuer?: string;
  clientId?: string;
  requestId?: string;
  at?: Date;
}): Promise<void> {
  await AuditEventModel.create({
    type: event.type,
    reason: event.reason,
    issuer: clip(event.issuer),
    clientId: clip(event.clientId),
    requestId: clip(event.requestId),
    at: event.at ?? new Date(),
  });
}
