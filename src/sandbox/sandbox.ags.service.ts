import { z } from 'zod';
import { AppError, NotFoundError } from '../shared/errors';
import { defaultResourceLink, findRosterMember, sandboxCourse } from './sandbox.people';
import {
  SandboxLineItem,
  SandboxResourceLink,
  SandboxScore,
  nextSequenceValue,
  type SandboxLineItemDocument,
} from './sandbox.model';

const required = {
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : undefined),
};
/** ISO 8601 date-time with seconds and a zone, the shape Moodle's validate_iso8601_date accepts. */
const isoDateTime = z
  .string(required)
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/,
    'must be an ISO 8601 date-time with a time zone',
  )
  .refine((value) => !Number.isNaN(Date.parse(value)), 'is not a real date-time');

/** AGS 2.0 §3.2 line item, as a tool may send it (POST and PUT). */
export const lineItemInputSchema = z.object({
  label: z.string(required).trim().min(1, 'must not be empty'),
  scoreMaximum: z.number(required).positive('must be greater than 0'),
  resourceId: z.string().optional(),
  tag: z.string().optional(),
  resourceLinkId: z.string().optional(),
  startDateTime: isoDateTime.optional(),
  endDateTime: isoDateTime.optional(),
});
export type LineItemInput = z.infer<typeof lineItemInputSchema>;

/** AGS 2.0 §3.4 score. Moodle answers 400 when userId, timestamp or either progress is missing or bad. */
export const scoreInputSchema = z
  .object({
    userId: z.union([z.string().min(1), z.number().int()], required).transform(String),
    scoreGiven: z.number().min(0).optional(),
    scoreMaximum: z.number().positive().optional(),
    comment: z.string().optional(),
    timestamp: isoDateTime,
    activityProgress: z.enum(['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed'], required),
    gradingProgress: z.enum(['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady'], required),
  })
  .refine((score) => score.scoreGiven === undefined || score.scoreMaximum !== undefined, {
    message: 'is required when scoreGiven is sent',
    path: ['scoreMaximum'],
  });
export type ScoreInput = z.infer<typeof scoreInputSchema>;

/** Parses a body with a schema; a 400 names the first offending field, which is what a tool developer needs. */
export function parseServiceBody<T>(schema: z.ZodType<T>, body: unknown, code: string): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || 'body';
  throw new AppError(`${field}: ${issue?.message ?? 'is invalid'}`, 400, code);
}

async function resourceLinkExists(issuer: string, resourceLinkId: string): Promise<boolean> {
  if (resourceLinkId === defaultResourceLink.resourceLinkId) return true;
  return (await SandboxResourceLink.exists({ issuer, resourceLinkId })) !== null;
}

/** Creates a line item (AGS 2.0 §3.2.5); its resourceLinkId must be an activity of the course, as in Moodle. */
export async function createLineItem(issuer: string, input: LineItemInput): Promise<SandboxLineItemDocument> {
  if (input.resourceLinkId !== undefined && !(await resourceLinkExists(issuer, input.resourceLinkId))) {
    throw new AppError('resourceLinkId: no such activity in this course', 400, 'invalid_line_item');
  }
  const lineItemId = await nextSequenceValue(issuer, 'lineItem');
  const created = await SandboxLineItem.create({
    ...input,
    issuer,
    contextId: sandboxCourse.contextId,
    lineItemId,
    createdAt: new Date(),
  });
  return created.toObject();
}

export interface LineItemFilter {
  resourceLinkId?: string;
  resourceId?: string;
  tag?: string;
}

/** Line items of the course, filtered as AGS 2.0 §3.2.3 allows (resource_link_id, resource_id, tag). */
export async function listLineItems(
  issuer: string,
  filter: LineItemFilter,
): Promise<SandboxLineItemDocument[]> {
  return SandboxLineItem.find({
    issuer,
    ...(filter.resourceLinkId === undefined ? {} : { resourceLinkId: filter.resourceLinkId }),
    ...(filter.resourceId === undefined ? {} : { resourceId: filter.resourceId }),
    ...(filter.tag === undefined ? {} : { tag: filter.tag }),
  })
    .sort({ lineItemId: 1 })
    .lean();
}

/** One line item; 404 when it is not this course's. */
export async function getLineItem(issuer: string, lineItemId: number): Promise<SandboxLineItemDocument> {
  const lineItem = Number.isSafeInteger(lineItemId)
    ? await SandboxLineItem.findOne({ issuer, lineItemId }).lean()
    : null;
  if (!lineItem) throw new NotFoundError('No such line item in this course.');
  return lineItem;
}

/** PUT replaces the line item's description (AGS 2.0 §3.2.6); its activity binding stays. */
export async function updateLineItem(
  issuer: string,
  lineItemId: number,
  input: LineItemInput,
): Promise<SandboxLineItemDocument> {
  await getLineItem(issuer, lineItemId);
  const { resourceLinkId: _ignored, ...fields } = input;
  const unset = (['resourceId', 'tag', 'startDateTime', 'endDateTime'] as const).filter(
    (f) => !(f in fields),
  );
  const updated = await SandboxLineItem.findOneAndUpdate(
    { issuer, lineItemId },
    { $set: fields, ...(unset.length ? { $unset: Object.fromEntries(unset.map((f) => [f, 1])) } : {}) },
    { new: true },
  ).lean();
  if (!updated) throw new NotFoundError('No such line item in this course.');
  return updated;
}

/** Deletes a line item and the scores received for it (AGS 2.0 §3.2.7). */
export async function deleteLineItem(issuer: string, lineItemId: number): Promise<void> {
  await getLineItem(issuer, lineItemId);
  await SandboxLineItem.deleteOne({ issuer, lineItemId });
  await SandboxScore.deleteMany({ issuer, lineItemId });
}

/**
 * Stores a score (AGS 2.0 §3.4). Moodle refuses users not actively enrolled (400) and, per §3.4.4's rule
 * that a platform must not apply a score older than the one it has, answers 409 to an earlier timestamp.
 */
export async function recordScore(issuer: string, lineItemId: number, score: ScoreInput): Promise<void> {
  await getLineItem(issuer, lineItemId);
  const member = findRosterMember(score.userId);
  if (!member || member.status !== 'Active') {
    throw new AppError('userId: not actively enrolled in this course', 400, 'invalid_score');
  }
  const timestamp = new Date(score.timestamp);
  const latest = await SandboxScore.findOne({ issuer, lineItemId, userId: score.userId })
    .sort({ timestamp: -1 })
    .lean();
  if (latest && latest.timestamp.getTime() > timestamp.getTime()) {
    throw new AppError('timestamp: older than the score already recorded for this user', 409, 'stale_score');
  }
  await SandboxScore.create({
    ...score,
    issuer,
    contextId: sandboxCourse.contextId,
    lineItemId,
    timestamp,
    receivedAt: new Date(),
  });
}

/** AGS 2.0 §3.3 results: the latest score per user, scaled to the line item's maximum as Moodle's gradebook does. */
export async function listResults(issuer: string, lineItemId: number, userId?: string) {
  const lineItem = await getLineItem(issuer, lineItemId);
  const scores = await SandboxScore.find({ issuer, lineItemId, ...(userId === undefined ? {} : { userId }) })
    .sort({ timestamp: 1, receivedAt: 1 })
    .lean();
  const latestByUser = new Map<string, (typeof scores)[number]>();
  for (const score of scores) latestByUser.set(score.userId, score);
  return {
    lineItem,
    results: [...latestByUser.values()]
      .sort((a, b) => Number(a.userId) - Number(b.userId))
      .map((score) => ({
        userId: score.userId,
        ...(score.scoreGiven != null && score.scoreMaximum
          ? { resultScore: (score.scoreGiven / score.scoreMaximum) * lineItem.scoreMaximum }
          : {}),
        resultMaximum: lineItem.scoreMaximum,
        ...(score.comment ? { comment: score.comment } : {}),
        timestamp: score.timestamp.toISOString(),
      })),
  };
}
