import mongoose from 'mongoose';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors';
import {
  PairModel,
  namesOfUsers,
  openCohort,
  openManagedCohort,
  type CohortViewer,
  type OpenedCohort,
} from '../core';
import { ChangeRequestModel } from './changeRequest.model';
import { formatInZone } from './matching.format';
import { assertCanAskForChange, assertMentoringCohort } from './matching.policy';
import type { ResolveRequestForm } from './matching.schemas';
import { pairPeople } from './pairing.service';

/** The mentee's own change-request page: their mentors now and every request they made, newest first. */
export interface ChangeRequestPage {
  opened: OpenedCohort;
  mentorNames: string[];
  hasOpenRequest: boolean;
  requests: Array<{ askedAt: string; reason: string; status: string; note: string; resolvedAt?: string }>;
}

const statusWords: Record<string, string> = {
  open: 'Waiting for an instructor',
  're-paired': 'Done: you have a new mentor',
  closed: 'Closed',
};

/** The viewer's change requests in the cohort (a mentee's own; nobody else's). */
export async function changeRequestPageFor(
  viewer: CohortViewer,
  cohortId: string,
): Promise<ChangeRequestPage> {
  const opened = await openCohort(viewer, cohortId);
  assertCanAskForChange(opened);
  const { cohort } = opened;
  const [requests, pairs] = await Promise.all([
    ChangeRequestModel.find({ cohortId: cohort._id, menteeId: viewer.userId }).sort({ number: -1 }).lean(),
    PairModel.find({ cohortId: cohort._id, menteeId: viewer.userId, active: true }, { mentorId: 1 }).lean(),
  ]);
  const names = await namesOfUsers(
    viewer.tenantId,
    pairs.map((pair) => String(pair.mentorId)),
  );
  return {
    opened,
    mentorNames: [...names.values()].sort(),
    hasOpenRequest: requests.some((request) => request.status === 'open'),
    requests: requests.map((request) => ({
      askedAt: formatInZone(request.createdAt, cohort.timeZone),
      reason: request.reason,
      status: statusWords[request.status] ?? request.status,
      note: request.note,
      ...(request.resolvedAt ? { resolvedAt: formatInZone(request.resolvedAt, cohort.timeZone) } : {}),
    })),
  };
}

/**
 * A mentee asks, privately, for a different mentor: the cohort's managers see it on the matching page; the
 * mentor never does. One open request at a time.
 */
export async function requestChange(viewer: CohortViewer, cohortId: string, reason: string): Promise<void> {
  const opened = await openCohort(viewer, cohortId);
  assertCanAskForChange(opened);
  const filter = { cohortId: opened.cohort._id, menteeId: new mongoose.Types.ObjectId(viewer.userId) };
  if (await ChangeRequestModel.exists({ ...filter, status: 'open' })) {
    const message = 'You already have a request waiting. An instructor will answer it first.';
    throw new ValidationError(message, { reason: message });
  }
  const count = await ChangeRequestModel.countDocuments(filter);
  try {
    await ChangeRequestModel.create({
      ...filter,
      tenantId: opened.cohort.tenantId,
      number: count + 1,
      reason,
    });
  } catch (error) {
    // The same number taken a moment ago: the mentee sent the form twice.
    if ((error as { code?: number }).code === 11000)
      throw new ConflictError('Your request was already sent.');
    throw error;
  }
}

/**
 * A manager resolves a change request: pair the mentee with another mentor (their current pairs in the cohort
 * end; refused at the field above that mentor's capacity), or close it with a note the mentee reads.
 */
export async function resolveChangeRequest(
  viewer: CohortViewer,
  cohortId: string,
  requestId: string,
  form: ResolveRequestForm,
  now = new Date(),
): Promise<void> {
  const opened = await openManagedCohort(viewer, cohortId);
  assertMentoringCohort(opened);
  const { cohort } = opened;
  const request = mongoose.isValidObjectId(requestId)
    ? await ChangeRequestModel.findOne({
        _id: requestId,
        tenantId: cohort.tenantId,
        cohortId: cohort._id,
      }).lean()
    : null;
  if (!request) throw new NotFoundError('No such change request.');
  if (request.status !== 'open') throw new ConflictError('This request has already been resolved.');
  const menteeId = String(request.menteeId);
  if (form.action === 're-pair') {
    const field = `request-${requestId}-mentor`;
    const current = await PairModel.find({ cohortId: cohort._id, menteeId, active: true }).lean();
    if (current.some((pair) => String(pair.mentorId) === form.mentorId)) {
      const message = 'Choose a different mentor from the current one.';
      throw new ValidationError(message, { [field]: message });
    }
    await pairPeople(cohort, form.mentorId, menteeId, { confirmedBy: viewer.userId, field, now });
    await PairModel.updateMany(
      { cohortId: cohort._id, menteeId, active: true, mentorId: { $ne: form.mentorId } },
      { $set: { active: false, endedAt: now, endedBy: viewer.userId } },
    );
  }
  const resolved = await ChangeRequestModel.updateOne(
    { _id: request._id, status: 'open' },
    {
      $set: {
        status: form.action === 're-pair' ? 're-paired' : 'closed',
        note: form.note,
        resolvedBy: viewer.userId,
        resolvedAt: now,
      },
    },
  );
  if (resolved.matchedCount === 0) throw new ConflictError('This request has already been resolved.');
}
