import type mongoose from 'mongoose';
import { CmeProfileModel, CmeProfileRevisionModel, type CmeProfile } from '../core';

/** The fields of a profile state a revision keeps (what an export reads of a learner). */
export interface ProfileState {
  profession: string;
  firstName: string;
  lastName: string;
  npi: string;
  licenseNumber: string;
  licenseState: string;
  certifyingBoard: string;
  boardId: string;
  birthMonthDay: string;
  nabpEprofileId: string;
  consents: Record<string, { given: boolean; at: Date }>;
}

interface ProfileKey {
  tenantId: mongoose.Types.ObjectId;
  userId: mongoose.Types.ObjectId;
}

type StoredProfile = CmeProfile & { createdAt?: Date; updatedAt?: Date };

/** A stored profile's state, blanks for fields it lacks (profiles saved before a field existed). */
function stateOf(profile: StoredProfile): ProfileState {
  const consents: ProfileState['consents'] = {};
  for (const kind of ['pars', 'cpeMonitor', 'ceBroker'] as const) {
    const consent = profile.consents?.[kind];
    if (consent) consents[kind] = { given: consent.given, at: consent.at };
  }
  return {
    profession: profile.profession,
    firstName: profile.firstName ?? '',
    lastName: profile.lastName ?? '',
    npi: profile.npi ?? '',
    licenseNumber: profile.licenseNumber ?? '',
    licenseState: profile.licenseState ?? '',
    certifyingBoard: profile.certifyingBoard ?? '',
    boardId: profile.boardId ?? '',
    birthMonthDay: profile.birthMonthDay ?? '',
    nabpEprofileId: profile.nabpEprofileId ?? '',
    consents,
  };
}

const isDuplicateKey = (error: unknown) => (error as { code?: number } | null)?.code === 11000;

/**
 * Revision 1 of a profile saved before revisions existed (issue 14): its state as it stood, from when it was last
 * saved, so an export made before this edit still reads it. Another save writing it first is as good.
 */
async function keepUnrevisedState(key: ProfileKey, profile: StoredProfile): Promise<void> {
  try {
    await CmeProfileRevisionModel.create({
      ...key,
      revision: 1,
      savedAt: profile.updatedAt ?? profile.createdAt ?? profile._id.getTimestamp(),
      ...stateOf(profile),
    });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

/**
 * Saves a learner's profile as its next revision (issue 14, item 3: exports read each learner as they stood at
 * the export's instant). `stateFor(current)` gives the new state from the stored profile (null before the first
 * save). The revision is written first, then the profile, and only over an older revision, so the profile always
 * carries its newest revision's state. Two saves racing for one revision number: the unique {userId, revision}
 * index refuses one, which reads again and retries once, numbered past the one it lost to.
 * `savedAt` (and the profile's `revisedAt`) is stamped just before the revision is written — `now` plus the time
 * the reads took — so an export asked for meanwhile never reads a state stamped before its instant but stored
 * after it (issue 14: re-creations must give the same bytes).
 */
export async function saveProfileRevision(
  key: ProfileKey,
  stateFor: (current: StoredProfile | null) => ProfileState,
  now: Date,
): Promise<void> {
  const began = Date.now();
  let lostTo = 0;
  for (let attempt = 1; ; attempt += 1) {
    const current = await CmeProfileModel.findOne(key).lean<StoredProfile>();
    if (current && (current.revision === undefined || current.revision === null))
      await keepUnrevisedState(key, current);
    const stored = current ? (current.revision ?? 1) : 0;
    const revision = Math.max(stored, lostTo) + 1;
    const state = stateFor(current);
    const savedAt = new Date(now.getTime() + (Date.now() - began));
    try {
      await CmeProfileRevisionModel.create({ ...key, revision, savedAt, ...state });
    } catch (error) {
      if (!isDuplicateKey(error) || attempt > 1) throw error;
      lostTo = revision;
      continue;
    }
    try {
      await CmeProfileModel.updateOne(
        { ...key, $or: [{ revision: { $exists: false } }, { revision: { $lt: revision } }] },
        { $set: { ...state, revision, revisedAt: savedAt } },
        { upsert: true, runValidators: true },
      );
    } catch (error) {
      // The profile carries a newer revision already (a save that started later finished first): it stays.
      if (!isDuplicateKey(error)) throw error;
    }
    return;
  }
}
