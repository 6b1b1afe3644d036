/** The roles Rounds acts on. CME administrators are granted inside Rounds, so they are not derived here. */
export const roundsRoles = ['learner', 'mentor', 'admin'] as const;
export type RoundsRole = (typeof roundsRoles)[number];

const adminRoles = [
  'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator',
  'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator',
];
const mentorRoles = ['Mentor', 'Instructor', 'TeachingAssistant', 'ContentDeveloper'];

/** The short name of an LTI role: full URIs arrive in id_tokens, short names in NRPS (Moodle does both). */
function shortName(role: string): string {
  const hash = role.lastIndexOf('#');
  return hash >= 0 ? role.slice(hash + 1) : role.slice(role.lastIndexOf('/') + 1);
}

/**
 * Maps LTI roles to the one Rounds role for this course, most privileged first (ARCHITECTURE.md, Roles):
 * institution/system Administrator → admin; Mentor, Instructor, TeachingAssistant → mentor; else learner.
 * Sub-roles such as membership/Instructor#TeachingAssistant map by their last segment.
 */
export function roundsRoleFor(ltiRoles: readonly string[]): RoundsRole {
  if (ltiRoles.some((role) => adminRoles.includes(role) || role === 'Administrator')) return 'admin';
  const names = ltiRoles.map(shortName);
  if (names.some((name) => mentorRoles.includes(name))) return 'mentor';
  return 'learner';
}

/** How a role reads on screen. */
export const roleLabels: Record<RoundsRole, string> = {
  learner: 'Learner',
  mentor: 'Mentor',
  admin: 'Administrator',
};
