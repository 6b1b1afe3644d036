import { DateTime } from 'luxon';
import type { CmeActivity } from '../core';

/** One requirement of an activity as the learner sees it: met or not, and where to go to meet it. */
export interface Requirement {
  kind: 'module' | 'sessions' | 'post-test' | 'evaluation';
  label: string;
  met: boolean;
  /** Where to go to meet it (a page of Rounds). */
  link: string;
  /** What is done and what is missing, in words ("2 of 3 sessions attended"). */
  detail: string;
  /** The instant it was met, when it is. */
  metAt?: Date;
}

/** Where a learner stands with an activity's requirements. */
export interface RequirementsReport {
  requirements: Requirement[];
  allMet: boolean;
  /** The instant the last requirement was met (null while any is unmet). */
  completedAt: Date | null;
  /** completedAt's calendar date in the tenant's zone (`YYYY-MM-DD`): what certificates and transcripts show. */
  completionDate: string | null;
  /** The tenant's zone the date was taken in. */
  timeZone: string;
}

/** What Rounds knows of a learner that bears on an activity's requirements (read by requirementsFor). */
export interface RequirementFacts {
  completions: Array<{ slug: string; completedAt: Date; title?: string }>;
  attendance: Array<{ cohortId: string; occurrenceStart: Date; durationMinutes: number; present: boolean }>;
  /** Post-test attempts of this activity version. */
  postTestAttempts: Array<{ passed: boolean; score: number; submittedAt: Date }>;
  /** The evaluation of this activity version, once submitted. */
  evaluation: { submittedAt: Date } | null;
  /** Module titles by slug, for labels (the slug when unknown). */
  moduleTitles: Record<string, string>;
  /** The cohort's name, for the sessions requirement's label. */
  cohortName?: string;
  timeZone: string;
  /** Used as the completion instant of an activity that requires nothing. */
  now: Date;
}

type ActivityRequirements = Pick<CmeActivity, 'key' | 'requirements'>;

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** Where a learner goes to take an activity's post-test or evaluation. */
export const postTestPath = (key: string) => `/cme/activities/${encodeURIComponent(key)}/post-test`;
export const evaluationPath = (key: string) => `/cme/activities/${encodeURIComponent(key)}/evaluation`;

function moduleRequirements(activity: ActivityRequirements, facts: RequirementFacts): Requirement[] {
  return (activity.requirements?.moduleSlugs ?? []).map((slug) => {
    // The first completion of any version meets it: the module is the activity's content, whatever its revision.
    const first = facts.completions
      .filter((completion) => completion.slug === slug)
      .sort((a, b) => a.completedAt.getTime() - b.completedAt.getTime())[0];
    const title = facts.moduleTitles[slug] ?? first?.title ?? slug;
    return {
      kind: 'module' as const,
      label: `Complete the module “${title}”`,
      met: Boolean(first),
      link: `/modules/${encodeURIComponent(slug)}`,
      detail: first ? `Completed on ${localDate(first.completedAt, facts.timeZone)}.` : 'Not completed yet.',
      ...(first ? { metAt: first.completedAt } : {}),
    };
  });
}

function sessionsRequirement(activity: ActivityRequirements, facts: RequirementFacts): Requirement[] {
  const sessions = activity.requirements?.sessions;
  const needed = sessions?.count ?? 0;
  if (!sessions?.cohortId || needed < 1) return [];
  const cohortId = String(sessions.cohortId);
  const attended = facts.attendance
    .filter((record) => record.present && record.cohortId === cohortId)
    .sort((a, b) => a.occurrenceStart.getTime() - b.occurrenceStart.getTime());
  const met = attended.length >= needed;
  // Met when the n-th attended session ended.
  const nth = attended[needed - 1];
  const metAt = nth ? new Date(nth.occurrenceStart.getTime() + nth.durationMinutes * 60_000) : undefined;
  const cohort = facts.cohortName ? ` of “${facts.cohortName}”` : '';
  return [
    {
      kind: 'sessions',
      label: `Attend ${plural(needed, 'session')}${cohort}`,
      met,
      link: `/cohorts/${cohortId}/sessions`,
      detail: `${Math.min(attended.length, needed)} of ${needed} attended${met ? '.' : `: ${plural(needed - attended.length, 'more session')} to attend.`}`,
      ...(met && metAt ? { metAt } : {}),
    },
  ];
}

function postTestRequirement(activity: ActivityRequirements, facts: RequirementFacts): Requirement[] {
  const postTest = activity.requirements?.postTest;
  if (!postTest?.questions?.length) return [];
  const passing = facts.postTestAttempts
    .filter((attempt) => attempt.passed)
    .sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime())[0];
  const best = Math.max(-1, ...facts.postTestAttempts.map((attempt) => attempt.score));
  const passMark = `${postTest.passPercent ?? 100}%`;
  let detail = `Not taken yet. The pass mark is ${passMark}.`;
  if (passing) detail = `Passed with ${passing.score}% on ${localDate(passing.submittedAt, facts.timeZone)}.`;
  else if (best >= 0) detail = `Not passed yet: your best score is ${best}%, the pass mark ${passMark}.`;
  return [
    {
      kind: 'post-test',
      label: `Pass the post-test (pass mark ${passMark})`,
      met: Boolean(passing),
      link: postTestPath(activity.key),
      detail,
      ...(passing ? { metAt: passing.submittedAt } : {}),
    },
  ];
}

function evaluationRequirement(activity: ActivityRequirements, facts: RequirementFacts): Requirement[] {
  if (activity.requirements?.evaluationRequired === false) return [];
  const evaluation = facts.evaluation;
  return [
    {
      kind: 'evaluation',
      label: 'Complete the activity evaluation',
      met: Boolean(evaluation),
      link: evaluationPath(activity.key),
      detail: evaluation
        ? `Submitted on ${localDate(evaluation.submittedAt, facts.timeZone)}.`
        : 'Not submitted yet. It opens once everything above is done.',
      ...(evaluation ? { metAt: evaluation.submittedAt } : {}),
    },
  ];
}

/** `YYYY-MM-DD` of an instant in a zone. */
export function localIsoDate(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toISODate()!;
}

/** An instant's date as people read it, in a zone ("14 March 2025"). */
function localDate(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toFormat('d LLLL yyyy');
}

/**
 * Where a learner stands with an activity's requirements (pure: every fact is given). Order: modules, sessions,
 * post-test, evaluation (the evaluation comes last: issue 13, item 3). Completed when the last requirement was met;
 * an activity that requires nothing is completed `now`. Dated in the tenant's zone (issue 13, item 8).
 */
export function requirementStatus(
  activity: ActivityRequirements,
  facts: RequirementFacts,
): RequirementsReport {
  const requirements = [
    ...moduleRequirements(activity, facts),
    ...sessionsRequirement(activity, facts),
    ...postTestRequirement(activity, facts),
    ...evaluationRequirement(activity, facts),
  ];
  const allMet = requirements.every((requirement) => requirement.met);
  let completedAt: Date | null = null;
  if (allMet) {
    const instants = requirements.map((requirement) => requirement.metAt!.getTime());
    completedAt = instants.length ? new Date(Math.max(...instants)) : facts.now;
  }
  return {
    requirements,
    allMet,
    completedAt,
    completionDate: completedAt ? localIsoDate(completedAt, facts.timeZone) : null,
    timeZone: facts.timeZone,
  };
}
