import { isRealMonthDay, isValidNpi, licenseStateCodes } from '../profile';
import type { ActivityFacts, ReportingProfile } from './export.types';

// Pre-checks (issue 14, item 2): what each body would reject, found before the upload, worded for the CME
// coordinator who fixes it. Pure; a row with any problem leaves the body's file and is listed in its pre-check.
// A malformed identifier is a problem here, never an exception: it must not break an export.

const states = new Set(licenseStateCodes);

/** Whether `state` is a USPS code of a state, DC or a territory (where US licenses are issued). */
export function isUsStateCode(state: string): boolean {
  return states.has(state);
}

/** Whether a stored NPI is usable: 10 digits whose last is the Luhn check digit (DOMAIN.md "Reporting"). */
export const isUsableNpi = (npi: string): boolean => isValidNpi(npi);

/** NABP e-Profile IDs are digits only; CPE Monitor refuses anything else (1 to 10 digits accepted here). */
export function isWellFormedEprofileId(id: string): boolean {
  return /^\d{1,10}$/.test(id);
}

/** The activity as the coordinator finds it in Rounds, for "add … to the activity …". */
const activityName = (activity: ActivityFacts | null) =>
  activity ? `the activity “${activity.title}”` : 'the activity';

/**
 * How a missing reporting identifier is fixed: a published version cannot be edited, so the coordinator publishes
 * a new one; claims of earlier versions take the identifier of the latest version published by the export.
 */
const byNewVersion = (what: string) =>
  `: publish a new version of it with the ${what} (claims of earlier versions then use it)`;

/**
 * Why PARS would reject a learner completion (ACCME, "Excel Template Instructions for Submitting Learner
 * Completion Data"): no ACCME activity ID; neither a valid NPI nor a state license number with its state; no
 * birth month and day (boards match on them); no first or last name; a board without its board ID (or the other
 * way round); a malformed NPI, birth month/day or licensing state.
 */
export function parsProblems(profile: ReportingProfile, activity: ActivityFacts | null): string[] {
  const problems: string[] = [];
  if (!activity?.accmeActivityId)
    problems.push(`Add the ACCME activity ID to ${activityName(activity)}${byNewVersion('ID')}`);
  if (!profile.firstName) problems.push('Add the learner’s first name');
  if (!profile.lastName) problems.push('Add the learner’s last name');
  const npiValid = isUsableNpi(profile.npi);
  if (profile.npi && !npiValid) {
    problems.push(
      `The NPI “${profile.npi}” is not a valid NPI (10 digits, the last a check digit): correct it`,
    );
  }
  const stateValid = isUsStateCode(profile.licenseState);
  if (profile.licenseState && !stateValid) {
    problems.push(`The licensing state “${profile.licenseState}” is not a US state code: correct it`);
  }
  const hasLicense = Boolean(profile.licenseNumber && stateValid);
  if (!npiValid && !hasLicense) {
    if (profile.licenseNumber && !profile.licenseState) {
      problems.push('Add the state that issued the license, or a valid NPI');
    } else if (!profile.npi && !profile.licenseNumber) {
      problems.push('Add the learner’s NPI, or a state license number and its state');
    }
  }
  problems.push(...birthProblems(profile.birthMonthDay));
  if (profile.certifyingBoard && !profile.boardId) {
    problems.push(`Add the learner’s ID with the certifying board (${profile.certifyingBoard})`);
  }
  if (profile.boardId && !profile.certifyingBoard) {
    problems.push('Add the certifying board that issued the board ID');
  }
  return problems;
}

function birthProblems(birthMonthDay: string): string[] {
  if (!birthMonthDay) return ['Add the learner’s birth month and day'];
  if (!isRealMonthDay(birthMonthDay)) {
    return [`The birth month and day “${birthMonthDay}” is not a real day (MMDD): correct it`];
  }
  return [];
}

/**
 * Why CPE Monitor would reject a record (NABP, CPE Monitor for providers: e-Profile ID, birth MMDD, UAN): no
 * or malformed NABP e-Profile ID, no or malformed birth month and day, no UAN on the ACPE designation.
 */
export function cpeMonitorProblems(profile: ReportingProfile, activity: ActivityFacts | null): string[] {
  const problems: string[] = [];
  if (!profile.nabpEprofileId) problems.push('Add the learner’s NABP e-Profile ID');
  else if (!isWellFormedEprofileId(profile.nabpEprofileId)) {
    problems.push(`The NABP e-Profile ID “${profile.nabpEprofileId}” is not digits only: correct it`);
  }
  problems.push(...birthProblems(profile.birthMonthDay));
  if (!activity?.uan)
    problems.push(`Add the UAN to the ACPE designation of ${activityName(activity)}${byNewVersion('UAN')}`);
  return problems;
}

/**
 * Why CE Broker would reject a roster line (CE Broker, provider course roster: provider, course, license, state):
 * no provider number or course number on the activity, no license number, no or invalid licensing state.
 */
export function ceBrokerProblems(profile: ReportingProfile, activity: ActivityFacts | null): string[] {
  const problems: string[] = [];
  if (!activity?.ceBrokerProviderNumber) {
    problems.push(`Add the CE Broker provider number to ${activityName(activity)}${byNewVersion('number')}`);
  }
  if (!activity?.ceBrokerCourseNumber) {
    problems.push(`Add the CE Broker course number to ${activityName(activity)}${byNewVersion('number')}`);
  }
  if (!profile.licenseNumber) problems.push('Add the learner’s license number');
  if (!profile.licenseState) problems.push('Add the state that issued the learner’s license');
  else if (!isUsStateCode(profile.licenseState)) {
    problems.push(`The licensing state “${profile.licenseState}” is not a US state code: correct it`);
  }
  return problems;
}
