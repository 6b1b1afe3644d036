import type { SandboxPerson } from './sandbox.types';

/** LIS v2 role vocabularies (LTI 1.3 Core, Appendix A.2). */
export const roleUri = {
  learner: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner',
  instructor: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
  mentor: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor',
  institutionAdministrator: 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator',
  systemAdministrator: 'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator',
} as const;

/** The one course of the sandbox (Moodle course id 7). */
export const sandboxCourse = {
  contextId: '7',
  label: 'WELL-101',
  title: 'Clinician Well-being & CME (Sandbox)',
};

/** The activity every course has from the start, like a Moodle course with Rounds already added once. */
export const defaultResourceLink = { resourceLinkId: '11', title: 'Rounds', text: '', custom: {} };

/** The five people a developer can launch as. Ids are Moodle-like (2 is Moodle's first admin account). */
export const sandboxPeople: SandboxPerson[] = [
  {
    key: 'nurse',
    userId: '3',
    name: 'Nora Okafor, RN',
    givenName: 'Nora',
    familyName: 'Okafor',
    email: 'nora.okafor@hospital.example',
    profession: 'Registered nurse',
    professionParameter: 'nurse',
    roles: [roleUri.learner],
    description: 'ICU night-shift nurse; takes the self-paced modules and claims nursing contact hours.',
  },
  {
    key: 'physician',
    userId: '4',
    name: 'Dr. Priya Raman',
    givenName: 'Priya',
    familyName: 'Raman',
    email: 'priya.raman@hospital.example',
    profession: 'Resident physician',
    professionParameter: 'physician',
    roles: [roleUri.learner],
    description:
      'Second-year internal medicine resident in a mentor cohort; sees the Physician Support Line.',
  },
  {
    key: 'pharmacist',
    userId: '5',
    name: 'Marcus Lee, PharmD',
    givenName: 'Marcus',
    familyName: 'Lee',
    email: 'marcus.lee@hospital.example',
    profession: 'Clinical pharmacist',
    professionParameter: 'pharmacist',
    roles: [roleUri.learner],
    description: 'Hospital pharmacist; claims CPE credit reported to CPE Monitor.',
  },
  {
    key: 'mentor',
    userId: '6',
    name: 'Dr. Elena García',
    givenName: 'Elena',
    familyName: 'García',
    email: 'elena.garcia@hospital.example',
    profession: 'Attending physician',
    professionParameter: 'physician',
    roles: [roleUri.instructor, roleUri.mentor],
    description: 'Leads a cohort: grades reflections, runs sessions, places activities in the course.',
  },
  {
    key: 'cmeAdmin',
    userId: '2',
    name: 'Sam Whitfield',
    givenName: 'Sam',
    familyName: 'Whitfield',
    email: 'sam.whitfield@hospital.example',
    profession: 'CME administrator',
    // Moodle sends a site admin both Administrator roles plus Instructor, and never Learner.
    roles: [roleUri.institutionAdministrator, roleUri.instructor, roleUri.systemAdministrator],
    description: 'Site administrator in the LMS; defines CME activities and exports credit reports.',
  },
];

/** Someone enrolled in the course, as the roster (NRPS) and the gradebook see them. */
export interface RosterMember {
  userId: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  roles: string[];
  status: 'Active' | 'Inactive';
}

function learner(userId: string, givenName: string, familyName: string, suffix: string): RosterMember {
  const name = `${givenName} ${familyName}${suffix}`;
  const email = `${givenName}.${familyName}`
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z.]/g, '');
  return {
    userId,
    name,
    givenName,
    familyName,
    email: `${email}@hospital.example`,
    roles: [roleUri.learner],
    status: 'Active',
  };
}

/** Roster-only learners: nobody launches as them, but they make NRPS paging observable with limit=5. */
const rosterOnlyLearners: RosterMember[] = [
  learner('8', 'Jordan', 'Ellis', ', RN'),
  learner('9', 'Aisha', 'Bello', ', MD'),
  learner('10', 'Tomás', 'Ortega', ', PharmD'),
  learner('11', 'Mei', 'Chen', ', RRT'),
  learner('12', 'Kwame', 'Mensah', ', MD'),
  learner('13', 'Hannah', 'Novak', ', RN'),
  // A suspended enrolment: listed by NRPS as Inactive, and Moodle refuses grades for it.
  { ...learner('14', 'Luis', 'Ferreira', ', CPhT'), status: 'Inactive' },
];

/** The whole course roster in Moodle's order (by user id). */
export const sandboxRoster: RosterMember[] = [
  ...sandboxPeople.map((person) => ({
    userId: person.userId,
    name: person.name,
    givenName: person.givenName,
    familyName: person.familyName,
    email: person.email,
    roles: person.roles,
    status: 'Active' as const,
  })),
  ...rosterOnlyLearners,
].sort((a, b) => Number(a.userId) - Number(b.userId));

/** The short role name Moodle uses in NRPS (`Learner`, `Instructor`, …) for a full role URI. */
export function shortRoleName(uri: string): string {
  return uri.slice(uri.lastIndexOf('#') + 1);
}

/** NRPS roles for a member: short names, without duplicates (Moodle folds both admin roles into one). */
export function shortRoleNames(roles: string[]): string[] {
  return [...new Set(roles.map(shortRoleName))];
}

/** A demo person by key (`nurse`, `mentor`, …). */
export function findPerson(key: string): SandboxPerson | undefined {
  return sandboxPeople.find((person) => person.key === key);
}

/** Anyone enrolled in the course, by Moodle user id. */
export function findRosterMember(userId: string): RosterMember | undefined {
  return sandboxRoster.find((member) => member.userId === userId);
}

/** Only teachers and admins may add activities, as in Moodle (moodle/course:manageactivities). */
export function canAddActivities(person: SandboxPerson): boolean {
  return person.roles.includes(roleUri.instructor);
}
