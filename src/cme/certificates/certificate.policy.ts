import { NotFoundError } from '../../shared/errors';

/** Who asks for a certificate: the learner of a launch, or a CME admin of a tenant (any learner of it). */
export type CertificateViewer =
  { kind: 'learner'; tenantId: string; userId: string } | { kind: 'cme-admin'; tenantId: string };

/**
 * A certificate opens for the learner whose claim it is and for a CME admin of its tenant. Anyone else gets the
 * answer a number that does not exist gets (404), so the page never tells whose numbers exist.
 */
export function assertCanOpenCertificate(
  viewer: CertificateViewer,
  entry: { tenantId: unknown; userId: unknown; kind: string },
): void {
  const certificate = entry.kind === 'claim' || entry.kind === 'reissue';
  const sameTenant = String(entry.tenantId) === viewer.tenantId;
  const theirs = viewer.kind === 'cme-admin' || String(entry.userId) === viewer.userId;
  if (!certificate || !sameTenant || !theirs) throw new NotFoundError('We could not find that certificate.');
}
