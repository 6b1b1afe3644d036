import { TenantModel } from './tenant.model';

/** The tenant's time zone (IANA), for dates shown to its people and tenant-local dates; UTC when it has none. */
export async function tenantTimeZone(tenantId: string): Promise<string> {
  const tenant = await TenantModel.findById(tenantId).select('timeZone').lean();
  return tenant?.timeZone || 'UTC';
}
