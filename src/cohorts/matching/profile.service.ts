import mongoose from 'mongoose';
import { UserModel } from '../../tenancy';
import { isProfession } from '../../wellbeing/support';
import { listCohortMembers, openCohort, type CohortViewer, type OpenedCohort } from '../core';
import { MatchProfileModel, type MatchProfile } from './matchProfile.model';
import { assertCanKeepProfile } from './matching.policy';
import type { ProfileForm } from './matching.schemas';
import type { AvailabilitySlot, CareerStage, ScoredProfile } from './matching.score';

/** The profile form's values, as stored or (first time) prefilled. */
export interface ProfileFormValues {
  profession: string;
  specialty: string;
  careerStage: string;
  goals: string;
  availability: string[];
  preferences: string;
  offers: string;
  offerTags: string;
}

/** Everything the profile page shows. */
export interface ProfilePage {
  opened: OpenedCohort;
  form: ProfileFormValues;
  /** Whether the person has saved a profile in this cohort yet. */
  saved: boolean;
  updatedAt?: Date;
}

/** The form values of a stored profile (or a new one, with the profession the person gave Rounds). */
function formValuesOf(profile: MatchProfile | null, profession: string | undefined): ProfileFormValues {
  return {
    profession: profile?.profession || profession || '',
    specialty: profile?.specialty ?? '',
    careerStage: profile?.careerStage ?? '',
    goals: profile?.goals ?? '',
    availability: profile?.availability ?? [],
    preferences: profile?.preferences ?? '',
    offers: profile?.offers ?? '',
    offerTags: (profile?.offerTags ?? []).join(', '),
  };
}

/** The viewer's own matching profile in a mentoring cohort where they are a mentor or mentee (403 otherwise). */
export async function profilePageFor(viewer: CohortViewer, cohortId: string): Promise<ProfilePage> {
  const opened = await openCohort(viewer, cohortId);
  assertCanKeepProfile(opened);
  const [profile, user] = await Promise.all([
    MatchProfileModel.findOne({ cohortId: opened.cohort._id, userId: viewer.userId }).lean(),
    UserModel.findOne({ _id: viewer.userId, tenantId: viewer.tenantId }, { profession: 1 }).lean(),
  ]);
  return {
    opened,
    form: formValuesOf(profile as MatchProfile | null, user?.profession ?? undefined),
    saved: Boolean(profile),
    ...(profile ? { updatedAt: profile.updatedAt } : {}),
  };
}

/**
 * Saves the viewer's matching profile in the cohort (one per cohort and person). What they offer is kept for
 * mentors only: a mentee's form has no such fields.
 */
export async function saveProfile(viewer: CohortViewer, cohortId: string, form: ProfileForm): Promise<void> {
  const opened = await openCohort(viewer, cohortId);
  assertCanKeepProfile(opened);
  const mentor = opened.role === 'mentor';
  await MatchProfileModel.updateOne(
    { cohortId: opened.cohort._id, userId: new mongoose.Types.ObjectId(viewer.userId) },
    {
      $set: {
        tenantId: opened.cohort.tenantId,
        profession: form.profession,
        specialty: form.specialty,
        careerStage: form.careerStage,
        goals: form.goals,
        availability: form.availability,
        preferences: form.preferences,
        offers: mentor ? form.offers : '',
        offerTags: mentor ? form.offerTags : [],
      },
    },
    { upsert: true, runValidators: true },
  );
}

/** Plural words for a profession in a reason ("Both nurses"); "other" matches nothing. */
const professionWords: Record<string, string> = {
  physician: 'physicians',
  'medical-student': 'medical students',
  nurse: 'nurses',
  pharmacist: 'pharmacists',
  technician: 'technicians or technologists',
};

/** The profiles of these people in the cohort, by user id, as the scoring reads them. */
export async function scoredProfilesOf(
  cohortId: mongoose.Types.ObjectId | string,
  people: Array<{ userId: string; name: string }>,
): Promise<Map<string, ScoredProfile & { raw: MatchProfile }>> {
  const profiles = (await MatchProfileModel.find({
    cohortId,
    userId: { $in: people.map((person) => person.userId) },
  }).lean()) as MatchProfile[];
  const names = new Map(people.map((person) => [person.userId, person.name]));
  return new Map(
    profiles.map((profile) => {
      const userId = String(profile.userId);
      const profession =
        isProfession(profile.profession) && profile.profession !== 'other' ? profile.profession : undefined;
      return [
        userId,
        {
          userId,
          name: names.get(userId) ?? 'Unknown person',
          ...(profession ? { profession, professionWords: professionWords[profession] } : {}),
          specialty: profile.specialty,
          ...(profile.careerStage ? { careerStage: profile.careerStage as CareerStage } : {}),
          goals: profile.goals,
          availability: profile.availability as AvailabilitySlot[],
          preferences: profile.preferences,
          offers: profile.offers,
          offerTags: profile.offerTags,
          raw: profile,
        },
      ];
    }),
  );
}

/** The active mentors and mentees of a cohort without a matching profile: names and roles, nothing else. */
export async function profilesMissingOf(
  tenantId: string,
  cohortId: string,
): Promise<Array<{ userId: string; name: string; role: 'mentor' | 'mentee' }>> {
  if (!mongoose.isValidObjectId(tenantId) || !mongoose.isValidObjectId(cohortId)) return [];
  const people = await listCohortMembers(tenantId, cohortId, {
    roles: ['mentor', 'mentee'],
    activeOnly: true,
  });
  const withProfile = await MatchProfileModel.find(
    { cohortId, userId: { $in: people.map((person) => person.userId) } },
    { userId: 1 },
  ).lean();
  const has = new Set(withProfile.map((profile) => String(profile.userId)));
  return people
    .filter((person) => !has.has(person.userId))
    .map((person) => ({
      userId: person.userId,
      name: person.name,
      role: person.role as 'mentor' | 'mentee',
    }));
}
