import mongoose from 'mongoose';
import { ForbiddenError, NotFoundError } from '../../shared/errors';
import type { CohortViewer } from '../core';
import { AttendanceModel } from './attendance.model';
import { openOccurrence } from './attendance.service';
import { SessionRatingModel } from './rating.model';
import { CohortSessionModel } from './session.model';
import { canRateOccurrence, takesRatings } from './session.policy';
import type { RatingInput } from './session.schemas';

/**
 * A session's figures (count, mean, distribution, comments) are shown only once this many people rated it: with
 * one or two, the attendance sheet's names would tell whose rating it is.
 */
export const ratingThreshold = 3;

/** What the rating page needs: the occurrence, whether the viewer may rate it, and their own rating so far. */
export async function ratingForm(
  viewer: CohortViewer,
  cohortId: string,
  sessionId: string,
  key: string,
  now = new Date(),
) {
  const opened = await openOccurrence(viewer, cohortId, sessionId, key);
  // A one-to-one's rating could only ever be one person's: no summary shows it, so none is asked for.
  if (!takesRatings(opened.session)) throw new NotFoundError('One-to-one sessions are not rated.');
  const [attendance, rating] = await Promise.all([
    AttendanceModel.findOne({
      sessionId: opened.session._id,
      occurrenceStart: opened.occurrence.start,
      userId: viewer.userId,
    }).lean(),
    SessionRatingModel.findOne({
      sessionId: opened.session._id,
      occurrenceStart: opened.occurrence.start,
      userId: viewer.userId,
    }).lean(),
  ]);
  return {
    ...opened,
    canRate: canRateOccurrence(attendance?.present, opened.occurrence.end, now),
    rating: rating ? { score: rating.score, comment: rating.comment } : undefined,
  };
}

/**
 * Saves the viewer's rating of an occurrence they attended, after it ended: one per occurrence, changed in place
 * when they rate again.
 */
export async function rateOccurrence(
  viewer: CohortViewer,
  cohortId: string,
  sessionId: string,
  key: string,
  input: RatingInput,
  now = new Date(),
): Promise<void> {
  const form = await ratingForm(viewer, cohortId, sessionId, key, now);
  if (!form.canRate) {
    throw new ForbiddenError('Only people recorded as present can rate a session, once it has ended.');
  }
  await SessionRatingModel.updateOne(
    { sessionId: form.session._id, occurrenceStart: form.occurrence.start, userId: viewer.userId },
    {
      $set: {
        tenantId: viewer.tenantId,
        cohortId: form.opened.cohort._id,
        score: input.score,
        comment: input.comment,
        ratedAt: now,
      },
    },
    { upsert: true },
  );
}

/** One session's ratings, as aggregates only. */
export interface SessionRatingSummary {
  sessionId: string;
  title: string;
  /** Whether every figure is held back because fewer than `ratingThreshold` people rated it. */
  heldBack: boolean;
  /** How many rated it; null while held back (shown as "fewer than 3"). */
  count: number | null;
  /** Mean score to one decimal; null while held back. */
  mean: number | null;
  /** How many gave each score, 1 to 5; empty while held back. */
  distribution: Array<{ score: number; count: number }>;
  /** Comments without names, in alphabetical order (not the order given); empty while held back. */
  comments: string[];
  /** Whether comments are held back because too few rated (always with `heldBack`). */
  commentsHeldBack: boolean;
}

/**
 * A cohort's session ratings as aggregates per session, for managers only. Below three ratings a session's count,
 * mean, distribution and comments are all held back (only `heldBack` says it was rated); from three on comes
 * everything, comments never with a name or in the order given. Sessions nobody rated are left out, and
 * one-to-one sessions always (their only raters are the pair: an aggregate would be the mentee's own rating).
 */
export async function ratingSummary(tenantId: string, cohortId: string): Promise<SessionRatingSummary[]> {
  if (!mongoose.isValidObjectId(tenantId) || !mongoose.isValidObjectId(cohortId)) return [];
  const [ratings, sessions] = await Promise.all([
    SessionRatingModel.find({ tenantId, cohortId }, { sessionId: 1, score: 1, comment: 1 }).lean(),
    CohortSessionModel.find({ tenantId, cohortId }, { title: 1, startsAt: 1, kind: 1 })
      .sort({ startsAt: 1 })
      .lean(),
  ]);
  return sessions.flatMap((session): SessionRatingSummary[] => {
    if (!takesRatings(session)) return [];
    const mine = ratings.filter((rating) => String(rating.sessionId) === String(session._id));
    if (mine.length === 0) return [];
    const base = { sessionId: String(session._id), title: session.title };
    // "1 rating, mean 2" next to the named attendance sheet is one person's rating: nothing of it is shown.
    if (mine.length < ratingThreshold) {
      return [
        {
          ...base,
          heldBack: true,
          count: null,
          mean: null,
          distribution: [],
          comments: [],
          commentsHeldBack: true,
        },
      ];
    }
    const total = mine.reduce((sum, rating) => sum + rating.score, 0);
    return [
      {
        ...base,
        heldBack: false,
        count: mine.length,
        mean: Math.round((total / mine.length) * 10) / 10,
        distribution: [1, 2, 3, 4, 5].map((score) => ({
          score,
          count: mine.filter((rating) => rating.score === score).length,
        })),
        comments: mine
          .map((rating) => rating.comment.trim())
          .filter(Boolean)
          .sort((a, b) => a.localeCompare(b)),
        commentsHeldBack: false,
      },
    ];
  });
}
