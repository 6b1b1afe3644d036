// The door to tenancy/: what the rest of Rounds may use. Tenants, users, courses, enrollments and the roles Rounds derives from LTI roles.
export { CourseModel } from './course.model';
export { EnrollmentModel } from './enrollment.model';
export {
  courseRoleFor,
  courseRoleLabels,
  courseRoles,
  legacyInstructorRole,
  storedCourseRole,
  suggestsCohortMentor,
} from './roles';
export { migrateLegacyCourseRoles } from './roles.migration';
export type { CourseRole } from './roles';
export { TenantModel } from './tenant.model';
export { tenantTimeZone } from './tenant.service';
export { UserModel, displayName } from './user.model';
