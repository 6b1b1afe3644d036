// The door to tenancy/: what the rest of Rounds may use. Tenants, users, courses, enrollments and the roles Rounds derives from LTI roles.
export { CourseModel } from './course.model';
export { EnrollmentModel } from './enrollment.model';
export { roleLabels, roundsRoleFor, roundsRoles } from './roles';
export type { RoundsRole } from './roles';
export { TenantModel } from './tenant.model';
export { tenantTimeZone } from './tenant.service';
export { UserModel, displayName } from './user.model';
