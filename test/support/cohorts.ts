import type { Rounds } from '../../src/runtime';
import { CohortMemberModel, CohortModel, PairModel } from '../../src/cohorts';
import { roleUri } from '../../src/sandbox/sandbox.people';
import { ltiClaim, postCraftedLaunch } from './craftedLaunch';

/** Someone of the sandbox course's roster (or anyone made up) to launch as, beyond the five "Launch as" people. */
export interface CourseMemberSpec {
  /** The LMS user id (`sub`); roster-only learners of the sandbox are '8' to '19'. */
  sub: string;
  name: string;
  /** LTI roles; a learner by default. */
  roles?: string[];
  /** Another LMS course to launch from (the sandbox course by default): someone of a different course. */
  context?: { id: string; title: string };
}

/**
 * A launch from the sandbox course, signed by the sandbox's own key, as `member` (a second mentor, a roster-only
 * learner): what the LMS would send for them. Returns the agent holding their Rounds session.
 */
export async function signedInAsMember(rounds: Rounds, member: CourseMemberSpec) {
  const { agent, launch } = await postCraftedLaunch(rounds, {
    person: 'nurse',
    claims: (claims) => {
      claims.sub = member.sub;
      claims.name = member.name;
      claims.given_name = member.name.split(' ')[0];
      claims.family_name = member.name.split(' ').slice(1).join(' ');
      claims.email = `user${member.sub}@hospital.example`;
      claims[`${ltiClaim}roles`] = member.roles ?? [roleUri.learner];
      if (member.context) {
        claims[`${ltiClaim}context`] = {
          id: member.context.id,
          title: member.context.title,
          label: member.context.title,
        };
      }
    },
  });
  if (launch.status !== 303) throw new Error(`the launch as ${member.name} answered ${launch.status}`);
  return { agent, launch };
}

/** LTI roles of an instructor who is also suggested as a mentor (what the sandbox's Dr. García carries). */
export const instructorRoles = [roleUri.instructor, roleUri.mentor];

/** What `seedCohort` makes: a cohort of the sandbox course with people in their cohort roles, and pairs. */
export interface CohortSeed {
  kind?: 'mentoring' | 'peer-circle';
  name?: string;
  timeZone?: string;
  startDate?: string;
  endDate?: string;
  capacityPerMentor?: number;
  /** User ids (Rounds') by cohort role. */
  mentors?: string[];
  mentees?: string[];
  facilitators?: string[];
  members?: string[];
  /** Confirmed pairs, [mentorUserId, menteeUserId]. */
  pairs?: Array<[string, string]>;
  groundRules?: string;
}

let seeded = 0;

/**
 * A cohort written straight through the models (tests seed through services and models, not clicks), in the
 * sandbox course of `course` (sandboxCourseIn after a launch). Returns the cohort id.
 */
export async function seedCohort(course: { tenantId: string; courseId: string }, seed: CohortSeed = {}) {
  seeded += 1;
  const cohort = await CohortModel.create({
    tenantId: course.tenantId,
    courseId: course.courseId,
    name: seed.name ?? `Cohort ${seeded} ${Date.now()}`,
    kind: seed.kind ?? 'mentoring',
    timeZone: seed.timeZone ?? 'America/Chicago',
    startDate: seed.startDate ?? '2026-01-01',
    endDate: seed.endDate ?? '2099-12-31',
    capacityPerMentor: seed.capacityPerMentor ?? 3,
    groundRules: seed.groundRules ?? '',
    rosterMode: 'manual',
  });
  const byRole: Array<[string, string[] | undefined]> = [
    ['mentor', seed.mentors],
    ['mentee', seed.mentees],
    ['facilitator', seed.facilitators],
    ['member', seed.members],
  ];
  for (const [role, userIds] of byRole) {
    for (const userId of userIds ?? []) {
      await CohortMemberModel.create({
        tenantId: course.tenantId,
        cohortId: cohort._id,
        userId,
        role,
        source: 'manual',
      });
    }
  }
  for (const [mentorId, menteeId] of seed.pairs ?? []) {
    await PairModel.create({
      tenantId: course.tenantId,
      cohortId: cohort._id,
      mentorId,
      menteeId,
      confirmedBy: mentorId,
      confirmedAt: new Date(),
    });
  }
  return String(cohort._id);
}
