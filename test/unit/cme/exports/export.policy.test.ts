import { assertCanRecreateExport, assertCanUseExport } from '../../../../src/cme/exports/export.policy';
import type { CmeAdmin } from '../../../../src/cme';
import { ConflictError, ForbiddenError } from '../../../../src/shared/errors';

const admin: CmeAdmin = {
  tenantId: '64b000000000000000000001',
  name: 'Sam',
  recordedBy: { kind: 'lti-admin', id: '2', name: 'Sam' },
};
const own = { tenantId: '64b000000000000000000001', status: 'complete', sha256: 'a'.repeat(64) };

describe('who may use an export record', () => {
  it('when the export is of the admin’s own tenant, then it is allowed', () => {
    expect(() => assertCanUseExport(admin, own)).not.toThrow();
  });

  it('when the export is of another tenant or of none, then 403 (not 404)', () => {
    expect(() => assertCanUseExport(admin, { ...own, tenantId: '64b000000000000000000002' })).toThrow(
      ForbiddenError,
    );
    expect(() => assertCanUseExport(admin, { ...own, tenantId: undefined })).toThrow(ForbiddenError);
    expect(() => assertCanUseExport({ ...admin, tenantId: '' }, own)).toThrow(ForbiddenError);
  });

  it('when an export is not complete or has no recorded hash, then it cannot be re-created (409)', () => {
    expect(() => assertCanRecreateExport(admin, own)).not.toThrow();
    expect(() => assertCanRecreateExport(admin, { ...own, status: 'failed' })).toThrow(ConflictError);
    expect(() => assertCanRecreateExport(admin, { ...own, sha256: '' })).toThrow(ConflictError);
    expect(() => assertCanRecreateExport(admin, { ...own, tenantId: '64b000000000000000000002' })).toThrow(
      ForbiddenError,
    );
  });
});
