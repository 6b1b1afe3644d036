import mongoose from 'mongoose';
import { NotFoundError } from '../../shared/errors';
import { CohortMemberModel, namesOfUsers, openCohort, type CohortViewer, type OpenedCohort } from '../core';
import { formatInZone, instantInZone } from './circle.format';
import {
  assertCanAnswer,
  assertCanWritePrompts,
  assertCircle,
  assertRulesAccepted,
  canAnswer,
  canReadAnswer,
  canReadSharedAnswers,
  canWritePrompts,
} from './circle.policy';
import type { AnswerForm, PromptForm } from './circles.schemas';
import { CheckInAnswerModel, CheckInPromptModel, type CheckInPrompt } from './checkIn.model';

/** How many of the circle's members answered a prompt, and how many of those shared: all an instructor sees. */
export interface AnswerCounts {
  answered: number;
  members: number;
  shared: number;
}

/** The viewer's own answer to a prompt, as only they see it. */
export interface OwnAnswer {
  text: string;
  shared: boolean;
  sharedAt?: string;
  savedAt: string;
}

/** One prompt in the circle's list. */
export interface PromptSummary {
  id: string;
  text: string;
  opensAt: string;
  /** Not open yet: only those who write prompts see it. */
  scheduled: boolean;
  counts: AnswerCounts;
  mine?: OwnAnswer;
}

/** The check-ins page of a circle. */
export interface CheckInsPage {
  opened: OpenedCohort;
  timeZone: string;
  canWrite: boolean;
  canAnswer: boolean;
  prompts: PromptSummary[];
}

/** One check-in with what this viewer may read of its answers. */
export interface CheckInPage {
  opened: OpenedCohort;
  prompt: PromptSummary;
  canAnswer: boolean;
  canReadShared: boolean;
  /** Answers shared with the circle, with their authors' names (the viewer's own included, marked). */
  sharedAnswers: Array<{ name: string; text: string; sharedAt: string; mine: boolean }>;
}

/** Opens a circle the viewer may look into past the ground rules. */
async function openCircle(viewer: CohortViewer, cohortId: string): Promise<OpenedCohort> {
  const opened = await openCohort(viewer, cohortId);
  assertCircle(opened);
  assertRulesAccepted(opened);
  return opened;
}

/** The user ids of the circle's active members (those a prompt is put to). */
async function activeMemberIds(opened: OpenedCohort): Promise<Set<string>> {
  const members = await CohortMemberModel.find(
    { tenantId: opened.cohort.tenantId, cohortId: opened.cohort._id, role: 'member', active: true },
    { userId: 1 },
  ).lean();
  return new Set(members.map((member) => String(member.userId)));
}

/** Counts per prompt, from answers of people who are members now (one query for the whole list). */
async function countsOf(opened: OpenedCohort, promptIds: mongoose.Types.ObjectId[]) {
  const [members, answers] = await Promise.all([
    activeMemberIds(opened),
    promptIds.length
      ? CheckInAnswerModel.find(
          { tenantId: opened.cohort.tenantId, cohortId: opened.cohort._id, promptId: { $in: promptIds } },
          { promptId: 1, userId: 1, shared: 1 },
        ).lean()
      : Promise.resolve([]),
  ]);
  const counts = new Map<string, AnswerCounts>(
    promptIds.map((id) => [String(id), { answered: 0, members: members.size, shared: 0 }]),
  );
  for (const answer of answers) {
    const count = counts.get(String(answer.promptId));
    if (!count || !members.has(String(answer.userId))) continue;
    count.answered += 1;
    if (answer.shared) count.shared += 1;
  }
  return counts;
}

/** The viewer's own answers to these prompts, by prompt id. */
async function ownAnswersOf(
  viewer: CohortViewer,
  opened: OpenedCohort,
  promptIds: mongoose.Types.ObjectId[],
) {
  if (promptIds.length === 0 || !opened.role) return new Map<string, OwnAnswer>();
  const answers = await CheckInAnswerModel.find({
    tenantId: viewer.tenantId,
    cohortId: opened.cohort._id,
    userId: viewer.userId,
    promptId: { $in: promptIds },
  }).lean();
  const zone = opened.cohort.timeZone;
  return new Map(
    answers.map((answer) => [
      String(answer.promptId),
      {
        text: answer.text,
        shared: Boolean(answer.shared),
        ...(answer.shared && answer.sharedAt ? { sharedAt: formatInZone(answer.sharedAt, zone) } : {}),
        savedAt: formatInZone(answer.updatedAt, zone),
      },
    ]),
  );
}

async function summariesOf(
  viewer: CohortViewer,
  opened: OpenedCohort,
  prompts: CheckInPrompt[],
  now: Date,
): Promise<PromptSummary[]> {
  const ids = prompts.map((prompt) => prompt._id);
  const [counts, mine] = await Promise.all([countsOf(opened, ids), ownAnswersOf(viewer, opened, ids)]);
  return prompts.map((prompt) => {
    const id = String(prompt._id);
    const own = mine.get(id);
    return {
      id,
      text: prompt.text,
      opensAt: formatInZone(prompt.opensAt, opened.cohort.timeZone),
      scheduled: prompt.opensAt > now,
      counts: counts.get(id)!,
      ...(own ? { mine: own } : {}),
    };
  });
}

/**
 * The circle's prompts, newest first, as the viewer may see them: members the open ones with their own answer's
 * state; facilitators and instructors also those scheduled for later. Counts for everyone; no one else's words.
 */
export async function listCheckIns(
  viewer: CohortViewer,
  opened: OpenedCohort,
  options: { limit?: number; now?: Date } = {},
): Promise<PromptSummary[]> {
  const now = options.now ?? new Date();
  const query = CheckInPromptModel.find({
    tenantId: viewer.tenantId,
    cohortId: opened.cohort._id,
    ...(canWritePrompts(opened) ? {} : { opensAt: { $lte: now } }),
  })
    .sort({ opensAt: -1, _id: -1 })
    .lean();
  if (options.limit) query.limit(options.limit);
  return summariesOf(viewer, opened, await query, now);
}

/** The check-ins page: every prompt the viewer may see, and whether they may add one or answer. */
export async function checkInsPageFor(
  viewer: CohortViewer,
  cohortId: string,
  now = new Date(),
): Promise<CheckInsPage> {
  const opened = await openCircle(viewer, cohortId);
  return {
    opened,
    timeZone: opened.cohort.timeZone,
    canWrite: canWritePrompts(opened),
    canAnswer: canAnswer(opened),
    prompts: await listCheckIns(viewer, opened, { now }),
  };
}

/** Puts a new prompt to the circle (facilitators and instructors); opens at once unless a later date is given. */
export async function createPrompt(
  viewer: CohortViewer,
  cohortId: string,
  form: PromptForm,
  now = new Date(),
): Promise<string> {
  const opened = await openCircle(viewer, cohortId);
  assertCanWritePrompts(opened);
  const opensAt = form.opensDate
    ? instantInZone(form.opensDate, form.opensTime, opened.cohort.timeZone)
    : now;
  const prompt = await CheckInPromptModel.create({
    tenantId: viewer.tenantId,
    cohortId: opened.cohort._id,
    text: form.text,
    opensAt,
    createdBy: viewer.userId,
  });
  return String(prompt._id);
}

/** A prompt of this circle the viewer may see (404 otherwise: a malformed id, another circle's, not open yet). */
async function findPrompt(viewer: CohortViewer, opened: OpenedCohort, promptId: string, now: Date) {
  const prompt = mongoose.isValidObjectId(promptId)
    ? await CheckInPromptModel.findOne({
        _id: promptId,
        tenantId: viewer.tenantId,
        cohortId: opened.cohort._id,
      }).lean()
    : null;
  if (!prompt || (prompt.opensAt > now && !canWritePrompts(opened))) {
    throw new NotFoundError('No such check-in in this circle.');
  }
  return prompt;
}

/**
 * One check-in: the prompt, the counts, the viewer's own answer, and the answers shared with the circle when the
 * viewer is in it. Instructors outside the circle get the counts only, never an answer.
 */
export async function checkInPageFor(
  viewer: CohortViewer,
  cohortId: string,
  promptId: string,
  now = new Date(),
): Promise<CheckInPage> {
  const opened = await openCircle(viewer, cohortId);
  const prompt = await findPrompt(viewer, opened, promptId, now);
  const [summary] = await summariesOf(viewer, opened, [prompt], now);
  const readShared = canReadSharedAnswers(opened);
  const shared = readShared
    ? await CheckInAnswerModel.find({
        tenantId: viewer.tenantId,
        cohortId: opened.cohort._id,
        promptId: prompt._id,
        shared: true,
      })
        .sort({ sharedAt: 1, _id: 1 })
        .lean()
    : [];
  const members = await activeMemberIds(opened);
  // Someone who left the circle took their words with them: only current members' answers are read out.
  const readable = shared.filter(
    (answer) => members.has(String(answer.userId)) && canReadAnswer(viewer.userId, opened, answer),
  );
  const names = await namesOfUsers(
    viewer.tenantId,
    readable.map((answer) => String(answer.userId)),
  );
  return {
    opened,
    prompt: summary!,
    canAnswer: canAnswer(opened),
    canReadShared: readShared,
    sharedAnswers: readable.map((answer) => ({
      name: names.get(String(answer.userId)) ?? 'A member',
      text: answer.text,
      sharedAt: formatInZone(answer.sharedAt ?? answer.updatedAt, opened.cohort.timeZone),
      mine: String(answer.userId) === viewer.userId,
    })),
  };
}

/**
 * Saves the member's answer (one per prompt: saving again edits it). Sharing stamps when it was shared; keeping
 * it private takes it back from the circle at once.
 */
export async function saveAnswer(
  viewer: CohortViewer,
  cohortId: string,
  promptId: string,
  form: AnswerForm,
  now = new Date(),
): Promise<void> {
  const opened = await openCircle(viewer, cohortId);
  assertCanAnswer(opened);
  const prompt = await findPrompt(viewer, opened, promptId, now);
  const key = { promptId: prompt._id, userId: new mongoose.Types.ObjectId(viewer.userId) };
  const existing = await CheckInAnswerModel.findOne(key, { shared: 1 }).lean();
  const shared = form.visibility === 'shared';
  await CheckInAnswerModel.updateOne(
    key,
    {
      $set: { text: form.text, shared, ...(shared && !existing?.shared ? { sharedAt: now } : {}) },
      ...(shared ? {} : { $unset: { sharedAt: 1 } }),
      $setOnInsert: { tenantId: viewer.tenantId, cohortId: opened.cohort._id },
    },
    { upsert: true },
  );
}

/** Takes the member's answer back from the circle: private again, to them alone. */
export async function stopSharingAnswer(
  viewer: CohortViewer,
  cohortId: string,
  promptId: string,
): Promise<void> {
  const opened = await openCircle(viewer, cohortId);
  assertCanAnswer(opened);
  const prompt = await findPrompt(viewer, opened, promptId, new Date());
  await CheckInAnswerModel.updateOne(
    { promptId: prompt._id, userId: viewer.userId, tenantId: viewer.tenantId },
    { $set: { shared: false }, $unset: { sharedAt: 1 } },
  );
}

/**
 * Participation in each of the circle's open prompts, newest first, for the cohort's health page: counts only
 * (issue 12: instructors never read check-in answers, private or shared).
 */
export async function checkInParticipation(
  opened: OpenedCohort,
  now = new Date(),
): Promise<Array<{ text: string; opensAt: string } & AnswerCounts>> {
  const prompts = await CheckInPromptModel.find({
    tenantId: opened.cohort.tenantId,
    cohortId: opened.cohort._id,
    opensAt: { $lte: now },
  })
    .sort({ opensAt: -1, _id: -1 })
    .limit(20)
    .lean();
  const counts = await countsOf(
    opened,
    prompts.map((prompt) => prompt._id),
  );
  return prompts.map((prompt) => ({
    text: prompt.text,
    opensAt: formatInZone(prompt.opensAt, opened.cohort.timeZone),
    ...counts.get(String(prompt._id))!,
  }));
}

/** How many of the circle's active members and facilitators have accepted its ground rules. */
export async function rulesAcceptance(opened: OpenedCohort): Promise<{ accepted: number; total: number }> {
  const people = await CohortMemberModel.find(
    {
      tenantId: opened.cohort.tenantId,
      cohortId: opened.cohort._id,
      role: { $in: ['member', 'facilitator'] },
      active: true,
    },
    { rulesAcceptedAt: 1 },
  ).lean();
  return { accepted: people.filter((person) => person.rulesAcceptedAt).length, total: people.length };
}
