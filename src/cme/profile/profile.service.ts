import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import type { Actor } from '../../shared/auth/actor';
import { tenantTimeZone, UserModel } from '../../tenancy';
import { CmeProfileModel, type CmeProfession, type CmeProfile } from '../core';
import { saveProfileRevision } from './profile.revisions';
import type { ProfileForm } from './profile.schemas';

/** The three registries a learner may let the provider report to, each consented to separately. */
export const consentKinds = ['pars', 'cpeMonitor', 'ceBroker'] as const;
export type ConsentKind = (typeof consentKinds)[number];

/** What the profile form shows in its fields (as stored, or a first guess from the LMS). */
export interface ProfileFormValues {
  profession: string;
  firstName: string;
  lastName: string;
  npi: string;
  licenseNumber: string;
  licenseState: string;
  certifyingBoard: string;
  boardId: string;
  birthMonth: string;
  birthDay: string;
  nabpEprofileId: string;
  consentPars: boolean;
  consentCpeMonitor: boolean;
  consentCeBroker: boolean;
}

/** The profile page: the form's values and, per consent, when it was last given or withdrawn. */
export interface ProfilePage {
  exists: boolean;
  form: ProfileFormValues;
  /** Per consent: "Given on 3 March 2025 at 14:02 CST", or undefined before the first save. */
  consentRecords: Record<ConsentKind, string | undefined>;
  timeZone: string;
}

/** A learner's CME reporting profile, or null before they have filled it in (the first claim asks for it). */
export async function profileOf(tenantId: string, userId: string): Promise<CmeProfile | null> {
  if (!mongoose.isValidObjectId(tenantId) || !mongoose.isValidObjectId(userId)) return null;
  return CmeProfileModel.findOne({ tenantId, userId }).lean<CmeProfile>();
}

/** The LMS's profession, when it says which CME profession it is (a physician may be MD or DO: they choose). */
const professionFromLms: Record<string, CmeProfession> = {
  nurse: 'nurse',
  pharmacist: 'pharmacist',
  other: 'other',
};

function recordOf(consent: { given: boolean; at: Date } | undefined | null, timeZone: string) {
  if (!consent) return undefined;
  const at = DateTime.fromJSDate(consent.at, { zone: timeZone }).toFormat("d LLLL yyyy 'at' HH:mm ZZZZ");
  return consent.given ? `Given on ${at}.` : `Not given (recorded ${at}).`;
}

/** The learner's own profile page: their stored profile, or names and profession as the LMS sent them. */
export async function profilePageFor(actor: Actor): Promise<ProfilePage> {
  const [profile, timeZone] = await Promise.all([
    profileOf(actor.tenantId, actor.userId),
    tenantTimeZone(actor.tenantId),
  ]);
  const consents = profile?.consents;
  const consentRecords = {
    pars: recordOf(consents?.pars, timeZone),
    cpeMonitor: recordOf(consents?.cpeMonitor, timeZone),
    ceBroker: recordOf(consents?.ceBroker, timeZone),
  };
  if (profile) {
    return {
      exists: true,
      form: {
        profession: profile.profession,
        firstName: profile.firstName ?? '',
        lastName: profile.lastName ?? '',
        npi: profile.npi ?? '',
        licenseNumber: profile.licenseNumber ?? '',
        licenseState: profile.licenseState ?? '',
        certifyingBoard: profile.certifyingBoard ?? '',
        boardId: profile.boardId ?? '',
        birthMonth: profile.birthMonthDay?.slice(0, 2) ?? '',
        birthDay: profile.birthMonthDay?.slice(2) ?? '',
        nabpEprofileId: profile.nabpEprofileId ?? '',
        consentPars: Boolean(consents?.pars?.given),
        consentCpeMonitor: Boolean(consents?.cpeMonitor?.given),
        consentCeBroker: Boolean(consents?.ceBroker?.given),
      },
      consentRecords,
      timeZone,
    };
  }
  const user = await UserModel.findOne(
    { _id: actor.userId, tenantId: actor.tenantId },
    { givenName: 1, familyName: 1, profession: 1 },
  ).lean();
  return {
    exists: false,
    form: {
      profession: professionFromLms[user?.profession ?? ''] ?? '',
      firstName: user?.givenName ?? '',
      lastName: user?.familyName ?? '',
      npi: '',
      licenseNumber: '',
      licenseState: '',
      certifyingBoard: '',
      boardId: '',
      birthMonth: '',
      birthDay: '',
      nabpEprofileId: '',
      consentPars: false,
      consentCpeMonitor: false,
      consentCeBroker: false,
    },
    consentRecords,
    timeZone,
  };
}

const consentFields: Record<ConsentKind, 'consentPars' | 'consentCpeMonitor' | 'consentCeBroker'> = {
  pars: 'consentPars',
  cpeMonitor: 'consentCpeMonitor',
  ceBroker: 'consentCeBroker',
};

/**
 * Saves the learner's own reporting profile. Each consent is recorded with the time it was given or withdrawn
 * (issue 13, item 2): an unchanged consent keeps its original time; the first save records each choice, given or
 * not, so the record shows when the learner was asked. Every save is a new revision (issue 14): exports made
 * before it keep reading the state they were made from.
 */
export async function saveProfile(actor: Actor, form: ProfileForm, now = new Date()): Promise<void> {
  const key = {
    tenantId: new mongoose.Types.ObjectId(actor.tenantId),
    userId: new mongoose.Types.ObjectId(actor.userId),
  };
  await saveProfileRevision(
    key,
    (current) => {
      const consents: Record<string, { given: boolean; at: Date }> = {};
      for (const kind of consentKinds) {
        const given = form[consentFields[kind]];
        const stored = current?.consents?.[kind];
        consents[kind] = stored && stored.given === given ? { given, at: stored.at } : { given, at: now };
      }
      return {
        profession: form.profession,
        firstName: form.firstName,
        lastName: form.lastName,
        npi: form.npi,
        licenseNumber: form.licenseNumber,
        licenseState: form.licenseState,
        certifyingBoard: form.certifyingBoard,
        boardId: form.boardId,
        birthMonthDay: form.birthMonthDay,
        nabpEprofileId: form.nabpEprofileId,
        consents,
      };
    },
    now,
  );
}
