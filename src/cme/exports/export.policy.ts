import { ConflictError, ForbiddenError } from '../../shared/errors';
import type { CmeAdmin } from '../core';

/** What the policy needs of an export record: whose it is, and how far it got. */
interface ExportRecordFacts {
  tenantId: unknown;
  status: string;
  sha256?: string | null;
  recreationOf?: unknown;
}

/**
 * A CME admin may open an export (its page, status, file) or re-create it only when it belongs to their own
 * tenant. Another tenant's export answers 403, not 404 (issue 14, "Done when"): export ids are not secrets, and
 * the refusal must be visible in tests and logs. Deny by default: no tenant on either side is a refusal.
 */
export function assertCanUseExport(admin: CmeAdmin, record: ExportRecordFacts): void {
  const owner = record.tenantId ? String(record.tenantId) : '';
  if (!owner || !admin.tenantId || owner !== admin.tenantId) {
    throw new ForbiddenError('This export belongs to another organization.');
  }
}

/**
 * Only a finished export with a recorded SHA-256 can be re-created and verified: there is nothing to compare a
 * running, empty or failed one against (issue 14, item 3).
 */
export function assertCanRecreateExport(admin: CmeAdmin, record: ExportRecordFacts): void {
  assertCanUseExport(admin, record);
  if (record.status !== 'complete' || !record.sha256) {
    throw new ConflictError('Only a complete export with a recorded SHA-256 can be re-created and verified.');
  }
}
