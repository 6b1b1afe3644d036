import type { CohortRole, OpenedCohort } from '../core';

const roleWords: Record<CohortRole, [string, string]> = {
  mentor: ['mentor', 'mentors'],
  mentee: ['mentee', 'mentees'],
  facilitator: ['facilitator', 'facilitators'],
  member: ['member', 'members'],
};

/** How many active people the cohort has in each of its kind's roles ("1 mentor", "3 mentees"). */
export function peopleCountsOf(
  opened: OpenedCohort,
  people: Array<{ role: CohortRole }>,
): Array<{ label: string; count: number }> {
  const roles: CohortRole[] =
    opened.cohort.kind === 'mentoring' ? ['mentor', 'mentee'] : ['facilitator', 'member'];
  return roles.map((role) => {
    const count = people.filter((person) => person.role === role).length;
    return { label: roleWords[role][count === 1 ? 0 : 1], count };
  });
}
