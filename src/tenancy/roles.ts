/**
 * A person's role in an LMS course, as Rounds derives it from the launch (issue 12, item 0). Being a mentor,
 * mentee or facilitator is not a course role: it is an assignment within a cohort, made by an instructor
 * (`src/cohorts`). CME administrators are granted inside Rounds, so they are not derived here either.
 */
export const courseRoles = ['learner', 'instructor', 'admin'] as const;
export type CourseRole = (typeof courseRoles)[number];

/**
 * The course role sessions and enrollments stored before cohort roles existed: an LTI Instructor was then
 * Rounds' `mentor`. Read as `instructor`; boot rewrites stored ones (`migrateLegacyCourseRoles`).
 */
export const legacyInstructorRole = 'mentor';

const adminRoles = [
  'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator',
  'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator',
];
/** LIS roles that teach the course. Moodle sends both its teacher and non-editing teacher as Instructor. */
const instructorRoles = ['Instructor', 'TeachingAssistant', 'ContentDeveloper'];
/** LIS roles that suggest a cohort mentor to the instructor assigning cohort roles; they grant nothing. */
const mentorHintRoles = ['Mentor', 'TeachingAssistant'];

/** The short name of an LTI role: full URIs arrive in id_tokens, short names in NRPS (Moodle does both). */
function shortName(role: string): string {
  const hash = role.lastIndexOf('#');
  return hash >= 0 ? role.slice(hash + 1) : role.slice(role.lastIndexOf('/') + 1);
}

/**
 * Maps LTI roles to the one course role, most privileged first (ARCHITECTURE.md, Roles): institution/system
 * Administrator → admin; Instructor, TeachingAssistant, ContentDeveloper → instructor; anything else (Learner,
 * and a Mentor who teaches nothing) → learner. Sub-roles such as membership/Instructor#TeachingAssistant map by
 * their last segment.
 */
export function courseRoleFor(ltiRoles: readonly string[]): CourseRole {
  if (ltiRoles.some((role) => adminRoles.includes(role) || role === 'Administrator')) return 'admin';
  const names = ltiRoles.map(shortName);
  if (names.some((name) => instructorRoles.includes(name))) return 'instructor';
  return 'learner';
}

/** Whether the LMS's roles suggest this person as a cohort mentor (LTI Mentor or TeachingAssistant). */
export function suggestsCohortMentor(ltiRoles: readonly string[]): boolean {
  return ltiRoles.map(shortName).some((name) => mentorHintRoles.includes(name));
}

/** A stored course role, with the legacy `mentor` read as `instructor`; undefined for anything else. */
export function storedCourseRole(stored: string | null | undefined): CourseRole | undefined {
  if (stored === legacyInstructorRole) return 'instructor';
  return (courseRoles as readonly string[]).includes(stored ?? '') ? (stored as CourseRole) : undefined;
}

/** How a role reads on screen. */
export const courseRoleLabels: Record<CourseRole, string> = {
  learner: 'Learner',
  instructor: 'Instructor',
  admin: 'Administrator',
};
