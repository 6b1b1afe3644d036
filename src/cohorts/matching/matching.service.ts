import mongoose from 'mongoose';
import {
  listCohortMembers,
  mentorCapacity,
  openManagedCohort,
  type CohortMemberSummary,
  type CohortViewer,
  type OpenedCohort,
} from '../core';
import { ChangeRequestModel } from './changeRequest.model';
import { formatInZone } from './matching.format';
import { assertMentoringCohort } from './matching.policy';
import { suggestPairs, type MatchReason } from './matching.score';
import { MatchRunModel, type MatchRun } from './matchRun.model';
import { pairedCountsOf, pairsOfCohort } from './pairing.service';
import { scoredProfilesOf } from './profile.service';

/** A mentor to choose in a select, with the room they have left. */
export interface MentorOption {
  userId: string;
  name: string;
  capacity: number;
  paired: number;
  remaining: number;
  hasProfile: boolean;
}

/** Everything the matching page shows (managers only). */
export interface MatchingPage {
  opened: OpenedCohort;
  timeZone: string;
  pairs: Array<{
    pairId: string;
    mentorName: string;
    menteeName: string;
    confirmedAt: string;
    score?: number;
  }>;
  mentors: MentorOption[];
  run?: {
    ranAt: string;
    confirmedCount: number;
    suggestions: Array<{
      menteeId: string;
      menteeName: string;
      mentorId: string;
      mentorName: string;
      score: number;
      reasons: MatchReason[];
      /** Private: shown here, to the managers confirming the match, and nowhere else. */
      menteePreferences: string;
      mentorPreferences: string;
    }>;
  };
  /** Active mentees without a mentor and without a pending suggestion. */
  unmatched: Array<{ userId: string; name: string; hasProfile: boolean; preferences: string }>;
  missingProfiles: Array<{ name: string; role: string }>;
  requests: Array<{
    requestId: string;
    menteeName: string;
    mentorNames: string;
    askedAt: string;
    reason: string;
  }>;
}

async function mentorsAndMentees(opened: OpenedCohort) {
  const tenantId = String(opened.cohort.tenantId);
  const cohortId = String(opened.cohort._id);
  const members = await listCohortMembers(tenantId, cohortId, {
    roles: ['mentor', 'mentee'],
    activeOnly: true,
  });
  return {
    mentors: members.filter((member) => member.role === 'mentor'),
    mentees: members.filter((member) => member.role === 'mentee'),
  };
}

function mentorOptions(
  opened: OpenedCohort,
  mentors: CohortMemberSummary[],
  paired: Map<string, number>,
  profiled: Set<string>,
): MentorOption[] {
  return mentors.map((mentor) => {
    const capacity = mentorCapacity(opened.cohort, mentor);
    const count = paired.get(mentor.userId) ?? 0;
    return {
      userId: mentor.userId,
      name: mentor.name,
      capacity,
      paired: count,
      remaining: Math.max(0, capacity - count),
      hasProfile: profiled.has(mentor.userId),
    };
  });
}

/** The matching page of a mentoring cohort the viewer manages. */
export async function matchingPageFor(viewer: CohortViewer, cohortId: string): Promise<MatchingPage> {
  const opened = await openManagedCohort(viewer, cohortId);
  assertMentoringCohort(opened);
  const { cohort } = opened;
  const tenantId = String(cohort.tenantId);
  const [{ mentors, mentees }, pairs, paired, run, requests] = await Promise.all([
    mentorsAndMentees(opened),
    pairsOfCohort(tenantId, String(cohort._id)),
    pairedCountsOf(cohort._id),
    MatchRunModel.findOne({ cohortId: cohort._id }).lean() as Promise<MatchRun | null>,
    ChangeRequestModel.find({ cohortId: cohort._id, status: 'open' }).sort({ createdAt: 1 }).lean(),
  ]);
  const profiles = await scoredProfilesOf(cohort._id, [...mentors, ...mentees]);
  const menteesPaired = new Set(pairs.map((pair) => pair.menteeId));
  const names = new Map([...mentors, ...mentees].map((person) => [person.userId, person.name]));
  const activeMentees = new Set(mentees.map((mentee) => mentee.userId));
  const activeMentors = new Set(mentors.map((mentor) => mentor.userId));

  const suggestions = (run?.suggestions ?? [])
    .filter(
      (suggestion) =>
        suggestion.status === 'pending' &&
        activeMentees.has(String(suggestion.menteeId)) &&
        activeMentors.has(String(suggestion.mentorId)) &&
        !menteesPaired.has(String(suggestion.menteeId)),
    )
    .map((suggestion) => ({
      menteeId: String(suggestion.menteeId),
      menteeName: names.get(String(suggestion.menteeId))!,
      mentorId: String(suggestion.mentorId),
      mentorName: names.get(String(suggestion.mentorId))!,
      score: suggestion.score,
      reasons: suggestion.reasons.map((reason) => ({ text: reason.text, private: Boolean(reason.private) })),
      menteePreferences: profiles.get(String(suggestion.menteeId))?.preferences ?? '',
      mentorPreferences: profiles.get(String(suggestion.mentorId))?.preferences ?? '',
    }));
  const suggested = new Set(suggestions.map((suggestion) => suggestion.menteeId));
  const menteeNamesOf = (requestMenteeId: string) =>
    pairs
      .filter((pair) => pair.menteeId === requestMenteeId)
      .map((pair) => pair.mentorName)
      .join(', ') || 'none';
  return {
    opened,
    timeZone: cohort.timeZone,
    pairs: pairs.map((pair) => ({
      pairId: pair.pairId,
      mentorName: pair.mentorName,
      menteeName: pair.menteeName,
      confirmedAt: formatInZone(pair.confirmedAt, cohort.timeZone),
      ...(pair.score !== undefined ? { score: pair.score } : {}),
    })),
    mentors: mentorOptions(opened, mentors, paired, new Set(profiles.keys())),
    ...(run
      ? {
          run: {
            ranAt: formatInZone(run.ranAt, cohort.timeZone),
            confirmedCount: run.suggestions.filter((suggestion) => suggestion.status === 'confirmed').length,
            suggestions,
          },
        }
      : {}),
    unmatched: mentees
      .filter((mentee) => !menteesPaired.has(mentee.userId) && !suggested.has(mentee.userId))
      .map((mentee) => ({
        userId: mentee.userId,
        name: mentee.name,
        hasProfile: profiles.has(mentee.userId),
        preferences: profiles.get(mentee.userId)?.preferences ?? '',
      })),
    missingProfiles: [...mentors, ...mentees]
      .filter((person) => !profiles.has(person.userId))
      .map((person) => ({ name: person.name, role: person.role })),
    requests: requests.map((request) => ({
      requestId: String(request._id),
      menteeName: names.get(String(request.menteeId)) ?? 'A former mentee',
      mentorNames: menteeNamesOf(String(request.menteeId)),
      askedAt: formatInZone(request.createdAt, cohort.timeZone),
      reason: request.reason,
    })),
  };
}

/**
 * Runs the matching for mentees who have a profile and no mentor yet, against mentors with a profile and room
 * left, and stores the suggestions as the cohort's latest run (replacing the previous one). Pairs nobody.
 */
export async function runMatching(
  viewer: CohortViewer,
  cohortId: string,
  now = new Date(),
): Promise<{ suggested: number; unmatched: number }> {
  const opened = await openManagedCohort(viewer, cohortId);
  assertMentoringCohort(opened);
  const { cohort } = opened;
  const [{ mentors, mentees }, paired, pairs] = await Promise.all([
    mentorsAndMentees(opened),
    pairedCountsOf(cohort._id),
    pairsOfCohort(String(cohort.tenantId), String(cohort._id)),
  ]);
  const profiles = await scoredProfilesOf(cohort._id, [...mentors, ...mentees]);
  const menteesPaired = new Set(pairs.map((pair) => pair.menteeId));
  const mentorSlots = mentors
    .filter((mentor) => profiles.has(mentor.userId))
    .map((mentor) => ({
      profile: profiles.get(mentor.userId)!,
      remaining: mentorCapacity(cohort, mentor) - (paired.get(mentor.userId) ?? 0),
    }));
  const waiting = mentees
    .filter((mentee) => profiles.has(mentee.userId) && !menteesPaired.has(mentee.userId))
    .map((mentee) => profiles.get(mentee.userId)!);
  const { suggestions, unmatchedMenteeIds } = suggestPairs(mentorSlots, waiting);
  await MatchRunModel.updateOne(
    { cohortId: cohort._id },
    {
      $set: {
        tenantId: cohort.tenantId,
        ranBy: new mongoose.Types.ObjectId(viewer.userId),
        ranAt: now,
        suggestions: suggestions.map((suggestion) => ({ ...suggestion, status: 'pending' })),
        unmatchedMenteeIds,
      },
    },
    { upsert: true },
  );
  return { suggested: suggestions.length, unmatched: unmatchedMenteeIds.length };
}
