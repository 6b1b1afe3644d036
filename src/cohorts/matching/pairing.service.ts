import mongoose from 'mongoose';
import { NotFoundError, ValidationError } from '../../shared/errors';
import {
  CohortMemberModel,
  CohortModel,
  PairModel,
  mentorCapacity,
  namesOfUsers,
  type Cohort,
  type CohortViewer,
} from '../core';

/** A confirmed pair with both names, for lists and dashboards. */
export interface PairSummary {
  pairId: string;
  cohortId: string;
  mentorId: string;
  mentorName: string;
  menteeId: string;
  menteeName: string;
  active: boolean;
  confirmedAt: Date;
  endedAt?: Date;
  /** The matching score when it was confirmed from a suggestion. */
  score?: number;
}

/**
 * The pairs of a cohort with both names, mentors then mentees alphabetically; active ones only unless asked.
 * Reasons are left out on purpose: they may come from the matching, and only the matching page shows them.
 */
export async function pairsOfCohort(
  tenantId: string,
  cohortId: string,
  options: { includeEnded?: boolean } = {},
): Promise<PairSummary[]> {
  if (!mongoose.isValidObjectId(tenantId) || !mongoose.isValidObjectId(cohortId)) return [];
  const pairs = await PairModel.find({
    tenantId,
    cohortId,
    ...(options.includeEnded ? {} : { active: true }),
  }).lean();
  const names = await namesOfUsers(
    tenantId,
    pairs.flatMap((pair) => [String(pair.mentorId), String(pair.menteeId)]),
  );
  return pairs
    .map((pair) => ({
      pairId: String(pair._id),
      cohortId: String(pair.cohortId),
      mentorId: String(pair.mentorId),
      mentorName: names.get(String(pair.mentorId)) ?? 'Unknown person',
      menteeId: String(pair.menteeId),
      menteeName: names.get(String(pair.menteeId)) ?? 'Unknown person',
      active: pair.active,
      confirmedAt: pair.confirmedAt,
      ...(pair.endedAt ? { endedAt: pair.endedAt } : {}),
      ...(typeof pair.score === 'number' ? { score: pair.score } : {}),
    }))
    .sort(
      (a, b) =>
        Number(b.active) - Number(a.active) ||
        a.mentorName.localeCompare(b.mentorName) ||
        a.menteeName.localeCompare(b.menteeName),
    );
}

/** One of the viewer's own active pairs, seen from their side. */
export interface ViewerPair {
  pairId: string;
  cohortId: string;
  cohortName: string;
  /** The viewer's side of the pair. */
  role: 'mentor' | 'mentee';
  otherPersonId: string;
  otherPersonName: string;
  confirmedAt: Date;
}

/**
 * The viewer's active pairs as mentor or as mentee, in their tenant's non-archived cohorts (an invited mentor:
 * their granted cohorts only), with the cohort and the other person's name; by cohort, then name.
 */
export async function pairsForViewer(viewer: CohortViewer): Promise<ViewerPair[]> {
  if (!mongoose.isValidObjectId(viewer.userId)) return [];
  const [asMentor, asMentee] = await Promise.all([
    PairModel.find({ tenantId: viewer.tenantId, mentorId: viewer.userId, active: true }).lean(),
    PairModel.find({ tenantId: viewer.tenantId, menteeId: viewer.userId, active: true }).lean(),
  ]);
  const all = [
    ...asMentor.map((pair) => ({ pair, role: 'mentor' as const, other: String(pair.menteeId) })),
    ...asMentee.map((pair) => ({ pair, role: 'mentee' as const, other: String(pair.mentorId) })),
  ].filter(({ pair }) => !viewer.grantedCohortIds || viewer.grantedCohortIds.includes(String(pair.cohortId)));
  if (all.length === 0) return [];
  const [cohorts, names] = await Promise.all([
    CohortModel.find(
      { tenantId: viewer.tenantId, _id: { $in: [...new Set(all.map(({ pair }) => String(pair.cohortId)))] } },
      { name: 1, archived: 1 },
    ).lean(),
    namesOfUsers(
      viewer.tenantId,
      all.map(({ other }) => other),
    ),
  ]);
  const liveCohorts = new Map(
    cohorts.filter((cohort) => !cohort.archived).map((cohort) => [String(cohort._id), cohort.name]),
  );
  return all
    .filter(({ pair }) => liveCohorts.has(String(pair.cohortId)))
    .map(({ pair, role, other }) => ({
      pairId: String(pair._id),
      cohortId: String(pair.cohortId),
      cohortName: liveCohorts.get(String(pair.cohortId))!,
      role,
      otherPersonId: other,
      otherPersonName: names.get(other) ?? 'Unknown person',
      confirmedAt: pair.confirmedAt,
    }))
    .sort(
      (a, b) =>
        a.cohortName.localeCompare(b.cohortName) || a.otherPersonName.localeCompare(b.otherPersonName),
    );
}

/** How many mentees each mentor of the cohort has in active pairs. */
export async function pairedCountsOf(
  cohortId: mongoose.Types.ObjectId | string,
): Promise<Map<string, number>> {
  const pairs = await PairModel.find({ cohortId, active: true }, { mentorId: 1 }).lean();
  const counts = new Map<string, number>();
  for (const pair of pairs) counts.set(String(pair.mentorId), (counts.get(String(pair.mentorId)) ?? 0) + 1);
  return counts;
}

/** What a confirmation records beyond the two people. */
export interface PairingDetails {
  confirmedBy: string;
  score?: number;
  /** Reasons in words; only those that quote nobody's private preferences are kept on the pair. */
  reasons?: string[];
  /** The error's key on the page, so the refusal shows at the field the manager used. */
  field: string;
  /** Refuse when the mentee already has a mentor here (matching pairs each mentee once). */
  onlyUnpaired?: boolean;
  now?: Date;
}

/**
 * Pairs a mentor and a mentee of the cohort, confirmed by a manager (the caller has checked that). Refused at
 * the field when either is not an active member in that role, when they are already paired, or when the mentor
 * has no room left (capacity: theirs, else the cohort's). Pairing the two again after an end reactivates the
 * same pair, so its plan and history carry on.
 */
export async function pairPeople(
  cohort: Pick<Cohort, '_id' | 'tenantId' | 'capacityPerMentor'>,
  mentorId: string,
  menteeId: string,
  details: PairingDetails,
): Promise<string> {
  const [mentor, mentee] = await Promise.all([
    CohortMemberModel.findOne({
      cohortId: cohort._id,
      userId: mentorId,
      role: 'mentor',
      active: true,
    }).lean(),
    CohortMemberModel.findOne({
      cohortId: cohort._id,
      userId: menteeId,
      role: 'mentee',
      active: true,
    }).lean(),
  ]);
  const refuse = (message: string) => new ValidationError(message, { [details.field]: message });
  if (!mentor) throw refuse('Choose a mentor who is an active mentor of this cohort.');
  if (!mentee) throw refuse('That mentee is no longer an active mentee of this cohort.');
  const existing = await PairModel.findOne({ cohortId: cohort._id, mentorId, menteeId }).lean();
  if (existing?.active) throw refuse('These two are already paired.');
  if (details.onlyUnpaired && (await PairModel.exists({ cohortId: cohort._id, menteeId, active: true }))) {
    throw refuse('This mentee already has a mentor. End that pair first, or resolve their change request.');
  }
  const capacity = mentorCapacity(cohort, mentor);
  const paired = await PairModel.countDocuments({ cohortId: cohort._id, mentorId, active: true });
  if (paired >= capacity) {
    const names = await namesOfUsers(String(cohort.tenantId), [mentorId]);
    throw refuse(
      `${names.get(mentorId) ?? 'This mentor'} already has ${paired} of ${capacity} mentees (their capacity). ` +
        'Choose another mentor, or raise their capacity on the People page first.',
    );
  }
  const now = details.now ?? new Date();
  const pair = await PairModel.findOneAndUpdate(
    { cohortId: cohort._id, mentorId, menteeId },
    {
      $set: {
        tenantId: cohort.tenantId,
        active: true,
        confirmedBy: details.confirmedBy,
        confirmedAt: now,
        reasons: details.reasons ?? [],
        ...(details.score !== undefined ? { score: details.score } : {}),
      },
      $unset: {
        endedAt: 1,
        endedBy: 1,
        ...(details.score === undefined ? { score: 1 } : {}),
      },
    },
    { upsert: true, new: true },
  ).lean();
  return String(pair!._id);
}

/** Ends an active pair of the cohort (kept, inactive, with who ended it and when). 404 for any other id. */
export async function endPairOf(
  cohort: Pick<Cohort, '_id' | 'tenantId'>,
  pairId: string,
  endedBy: string,
  now = new Date(),
): Promise<void> {
  if (!mongoose.isValidObjectId(pairId)) throw new NotFoundError('No such pair.');
  const result = await PairModel.updateOne(
    { _id: pairId, tenantId: cohort.tenantId, cohortId: cohort._id, active: true },
    { $set: { active: false, endedAt: now, endedBy } },
  );
  if (result.matchedCount === 0) throw new NotFoundError('No such pair, or it has already ended.');
}
