import { ValidationError } from '../../shared/errors';
import { openManagedCohort, type CohortViewer, type OpenedCohort } from '../core';
import { assertMentoringCohort } from './matching.policy';
import { MatchRunModel } from './matchRun.model';
import { endPairOf, pairPeople } from './pairing.service';

/**
 * Confirms a pair: the run's suggestion for this mentee, or another mentor the manager chose instead (then the
 * suggestion's score and reasons do not apply), or a pairing by hand of an unmatched mentee. Refused at the
 * field above the mentor's capacity.
 */
export async function confirmPair(
  viewer: CohortViewer,
  cohortId: string,
  choice: { menteeId: string; mentorId: string },
  now = new Date(),
): Promise<void> {
  const opened = await openManagedCohort(viewer, cohortId);
  assertMentoringCohort(opened);
  const run = await MatchRunModel.findOne({ cohortId: opened.cohort._id }).lean();
  const suggestion = run?.suggestions.find(
    (item) =>
      item.status === 'pending' &&
      String(item.menteeId) === choice.menteeId &&
      String(item.mentorId) === choice.mentorId,
  );
  await pairPeople(opened.cohort, choice.mentorId, choice.menteeId, {
    confirmedBy: viewer.userId,
    field: `mentor-${choice.menteeId}`,
    onlyUnpaired: true,
    now,
    ...(suggestion
      ? {
          score: suggestion.score,
          reasons: suggestion.reasons.filter((reason) => !reason.private).map((reason) => reason.text),
        }
      : {}),
  });
  await markConfirmed(opened, choice.menteeId);
}

/**
 * Marks the run's suggestion for this mentee confirmed. The whole list is written back, guarded by the run's
 * time (a re-run in between replaces the list, and then there is nothing to mark): the stand-in database does
 * not support the positional operator with $elemMatch.
 */
async function markConfirmed(opened: OpenedCohort, menteeId: string): Promise<void> {
  const run = await MatchRunModel.findOne({ cohortId: opened.cohort._id }).lean();
  if (!run?.suggestions.some((item) => item.status === 'pending' && String(item.menteeId) === menteeId))
    return;
  await MatchRunModel.updateOne(
    { _id: run._id, ranAt: run.ranAt },
    {
      $set: {
        suggestions: run.suggestions.map((item) =>
          String(item.menteeId) === menteeId ? { ...item, status: 'confirmed' } : item,
        ),
      },
    },
  );
}

/**
 * Confirms every pending suggestion of the latest run, in order; a suggestion that no longer fits (the mentee
 * was paired meanwhile, someone left, the mentor has no room) is skipped and stays on the page.
 */
export async function confirmAllSuggestions(
  viewer: CohortViewer,
  cohortId: string,
  now = new Date(),
): Promise<{ confirmed: number; skipped: number }> {
  const opened = await openManagedCohort(viewer, cohortId);
  assertMentoringCohort(opened);
  const run = await MatchRunModel.findOne({ cohortId: opened.cohort._id }).lean();
  let confirmed = 0;
  let skipped = 0;
  for (const suggestion of run?.suggestions.filter((item) => item.status === 'pending') ?? []) {
    const menteeId = String(suggestion.menteeId);
    try {
      await pairPeople(opened.cohort, String(suggestion.mentorId), menteeId, {
        confirmedBy: viewer.userId,
        field: `mentor-${menteeId}`,
        onlyUnpaired: true,
        now,
        score: suggestion.score,
        reasons: suggestion.reasons.filter((reason) => !reason.private).map((reason) => reason.text),
      });
      await markConfirmed(opened, menteeId);
      confirmed += 1;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      skipped += 1;
    }
  }
  return { confirmed, skipped };
}

/** Ends one of the cohort's active pairs (a manager's decision; the pair and its plan stay as history). */
export async function endPair(viewer: CohortViewer, cohortId: string, pairId: string, now = new Date()) {
  const opened = await openManagedCohort(viewer, cohortId);
  assertMentoringCohort(opened);
  await endPairOf(opened.cohort, pairId, viewer.userId, now);
}
