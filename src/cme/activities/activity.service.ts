import mongoose from 'mongoose';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors';
import { CohortModel } from '../../cohorts';
import { CourseModel } from '../../tenancy';
import { listModules } from '../../wellbeing';
import { CmeActivityModel, type CmeActivity, type CmeAdmin } from '../core';
import { assertDraft, assertPublished, publishProblems, type PublishProblem } from './activity.policy';
import { findActivityVersion, versionsOf } from './activity.queries';
import {
  activityInputSchema,
  reservedKeys,
  type ActivityInput,
  type ActivityInputDraft,
} from './activity.schemas';

/** Who changes activities: a CME admin of one tenant (the lead's demo passes its own). */
export type ActivityEditor = Pick<CmeAdmin, 'tenantId' | 'name'>;

/** Publishing refused: what the draft lacks, each with the field that fixes it. */
export class NotReadyToPublishError extends ValidationError {
  constructor(readonly problems: PublishProblem[]) {
    super(
      'This draft is not ready to publish.',
      Object.fromEntries(problems.map((p) => [p.field, p.message])),
    );
  }
}

/** Checks the content, field by field; a ValidationError names each wrong field by its path (`designations.0.maximum`). */
export function checkActivityInput(input: ActivityInputDraft): ActivityInput {
  const parsed = activityInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) fields[issue.path.join('.') || 'title'] ??= issue.message;
  throw new ValidationError('Some fields need attention.', fields);
}

/** Refuses modules, cohorts and courses that are not the tenant's (ids come from a form anyone can edit). */
async function checkReferences(tenantId: string, input: ActivityInput): Promise<void> {
  const fields: Record<string, string> = {};
  const { moduleSlugs, sessions } = input.requirements;
  if (moduleSlugs.length > 0) {
    const known = new Set((await listModules(tenantId)).map((module) => module.slug));
    if (moduleSlugs.some((slug) => !known.has(slug)))
      fields['requirements.moduleSlugs'] = 'Choose modules from the list.';
  }
  if (sessions && !(await CohortModel.exists({ _id: sessions.cohortId, tenantId })))
    fields['requirements.sessions.cohortId'] = 'Choose a cohort from the list.';
  if (input.courseIds.length > 0) {
    const found = await CourseModel.countDocuments({ _id: { $in: input.courseIds }, tenantId });
    if (found !== new Set(input.courseIds).size) fields.courseIds = 'Choose courses from the list.';
  }
  if (Object.keys(fields).length > 0) throw new ValidationError('Some fields need attention.', fields);
}

/** The stored shape of checked content (the key and version are the caller's). */
function contentOf(input: ActivityInput) {
  const { key: _key, ...content } = input;
  void _key;
  return {
    ...content,
    requirements: {
      ...content.requirements,
      sessions: content.requirements.sessions ?? undefined,
      postTest: content.requirements.postTest ?? undefined,
    },
  };
}

/** A key from the title: lowercase words joined by dashes, never a reserved name. */
function keyFromTitle(title: string): string {
  const words = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  const key = words || 'activity';
  return reservedKeys.includes(key) ? `${key}-activity` : key;
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number })?.code === 11000;
}

/**
 * Drafts a new activity (version 1) for the editor's tenant, from checked content; its key comes from the title
 * (`-2`, `-3` … when taken) unless given. The unique (tenant, key, version) index settles two admins racing.
 */
export async function createActivity(
  editor: ActivityEditor,
  input: ActivityInputDraft,
): Promise<CmeActivity> {
  const checked = checkActivityInput(input);
  await checkReferences(editor.tenantId, checked);
  const base = checked.key ?? keyFromTitle(checked.title);
  for (let attempt = 1; attempt <= 50; attempt += 1) {
    const key = attempt === 1 ? base : `${base.slice(0, 55)}-${attempt}`;
    if (checked.key === undefined && (await CmeActivityModel.exists({ tenantId: editor.tenantId, key })))
      continue;
    try {
      const created = await CmeActivityModel.create({
        tenantId: editor.tenantId,
        key,
        version: 1,
        status: 'draft',
        createdBy: editor.name,
        ...contentOf(checked),
      });
      return created.toObject() as CmeActivity;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      if (checked.key !== undefined)
        throw new ConflictError(`An activity with the key ${key} exists already.`);
    }
  }
  throw new ConflictError('Choose a different title: activities with this one exist already.');
}

/** The newest version of one of the editor's tenant's activities, or 404 (another tenant's key is unknown here). */
export async function openActivity(editor: ActivityEditor, key: string): Promise<CmeActivity> {
  const activity = await findActivityVersion(editor.tenantId, key);
  if (!activity) throw new NotFoundError('We could not find that CME activity.');
  return activity;
}

/** Saves new content into the activity's draft version; a published or closed version is refused (409). */
export async function saveDraft(
  editor: ActivityEditor,
  key: string,
  input: ActivityInputDraft,
): Promise<CmeActivity> {
  const activity = await openActivity(editor, key);
  assertDraft(activity);
  const checked = checkActivityInput({ ...input, key: undefined });
  await checkReferences(editor.tenantId, checked);
  // Only while it is still a draft: publishing in between wins, and this save is refused.
  const saved = await CmeActivityModel.findOneAndUpdate(
    { _id: activity._id, tenantId: editor.tenantId, status: 'draft' },
    { $set: contentOf(checked) },
    { new: true, runValidators: true },
  ).lean<CmeActivity>();
  if (!saved)
    throw new ConflictError('This version was published meanwhile: make a new version to change it.');
  return saved;
}

/** Publishes the draft: learners may claim under it from now on. Refused with what it lacks when not ready. */
export async function publishActivity(
  editor: ActivityEditor,
  key: string,
  now = new Date(),
): Promise<CmeActivity> {
  const activity = await openActivity(editor, key);
  assertDraft(activity);
  const problems = publishProblems(activity);
  if (problems.length > 0) throw new NotReadyToPublishError(problems);
  const published = await CmeActivityModel.findOneAndUpdate(
    { _id: activity._id, tenantId: editor.tenantId, status: 'draft' },
    { $set: { status: 'published', publishedAt: now } },
    { new: true },
  ).lean<CmeActivity>();
  if (!published) throw new ConflictError('This version was published meanwhile.');
  return published;
}

/**
 * Closes the activity: every published version stops taking claims (an older version would otherwise become
 * the one learners claim under). Claims already made, and their certificates, stay as they are.
 */
export async function closeActivity(editor: ActivityEditor, key: string, now = new Date()): Promise<void> {
  const versions = await versionsOf(editor.tenantId, key);
  if (versions.length === 0) throw new NotFoundError('We could not find that CME activity.');
  const published = versions.find((version) => version.status === 'published');
  if (!published) throw new ConflictError('This activity has no published version to close.');
  await CmeActivityModel.updateMany(
    { tenantId: editor.tenantId, key, status: 'published' },
    { $set: { status: 'closed', closedAt: now } },
  );
}

/**
 * Copies the newest version, when it is published, into a draft version N+1 for changes (a published version's
 * designation changes only this way). The published version stays what learners claim under until the draft is
 * published; the unique index refuses a second copy made at the same moment.
 */
export async function startNewVersion(editor: ActivityEditor, key: string): Promise<CmeActivity> {
  const newest = await openActivity(editor, key);
  assertPublished(newest);
  // Everything but the identity, the status and its instants, and the timestamps, which the copy gets anew.
  const { _id, status, publishedAt, closedAt, createdAt, updatedAt, version, ...content } =
    newest as CmeActivity & {
      createdAt?: Date;
      updatedAt?: Date;
    };
  void [_id, status, publishedAt, closedAt, createdAt, updatedAt];
  try {
    const draft = await CmeActivityModel.create({
      ...content,
      _id: new mongoose.Types.ObjectId(),
      version: version + 1,
      status: 'draft',
      createdBy: editor.name,
    });
    return draft.toObject() as CmeActivity;
  } catch (error) {
    if (isDuplicateKey(error)) throw new ConflictError('A new version of this activity exists already.');
    throw error;
  }
}
