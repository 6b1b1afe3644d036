import type { Actor } from '../../shared/auth/actor';
import { NotFoundError } from '../../shared/errors';
import { UserModel } from '../../tenancy';
import { isProfession, type Profession, type ProfessionSource } from './profession';

/** What the profile page shows: the profession stored for the person and who set it. */
export interface OwnProfile {
  profession?: Profession;
  source?: ProfessionSource;
}

/** What a learner may choose on the profile page: a profession, or to say none. */
export type ProfessionChoice = Profession | 'prefer-not-to-say';

async function ownUser(actor: Actor) {
  const user = await UserModel.findOne(
    { _id: actor.userId, tenantId: actor.tenantId },
    { profession: 1, professionSource: 1 },
  ).lean();
  if (!user)
    throw new NotFoundError('We could not find your profile. Please open Rounds from your course again.');
  return user;
}

/** The person's own profile (profession and its source), scoped by tenant and user. */
export async function ownProfile(actor: Actor): Promise<OwnProfile> {
  const user = await ownUser(actor);
  return {
    ...(isProfession(user.profession) ? { profession: user.profession } : {}),
    ...(user.professionSource === 'learner' || user.professionSource === 'lms'
      ? { source: user.professionSource }
      : {}),
  };
}

/**
 * The acting person's profession, or undefined when unknown (never asked, "prefer not to say", or no such user):
 * what decides the support lines they see, the modules listed first, and, later, their CME credit type.
 */
export async function professionOf(actor: Actor): Promise<Profession | undefined> {
  const user = await UserModel.findOne(
    { _id: actor.userId, tenantId: actor.tenantId },
    { profession: 1 },
  ).lean();
  return isProfession(user?.profession) ? user.profession : undefined;
}

/**
 * Records the learner's own answer. It is theirs from now on: a later launch whose LMS sends another profession
 * does not overwrite it. "Prefer not to say" clears the profession and is kept as the learner's choice too.
 */
export async function chooseOwnProfession(actor: Actor, choice: ProfessionChoice): Promise<void> {
  const update =
    choice === 'prefer-not-to-say'
      ? { $unset: { profession: 1 }, $set: { professionSource: 'learner' } }
      : { $set: { profession: choice, professionSource: 'learner' } };
  const result = await UserModel.updateOne({ _id: actor.userId, tenantId: actor.tenantId }, update);
  if (result.matchedCount === 0) {
    throw new NotFoundError('We could not find your profile. Please open Rounds from your course again.');
  }
}
