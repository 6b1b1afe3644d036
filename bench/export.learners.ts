/**
 * The learners of `bench:export` (bench/export.seed.ts): users with CME reporting profiles as the profile page
 * saves them. Most are MD physicians with valid identifiers who consent to PARS; 1 in 100 left out their birth
 * month/day (their claims go to the PARS pre-check); nurses consent to CE Broker, pharmacists to CPE Monitor.
 */
import mongoose from 'mongoose';
import { CmeProfileModel, type CmeProfession, type CreditType } from '../src/cme/core';
import { UserModel } from '../src/tenancy';

const batchSize = 10_000;

/** Each learner's profession, in turn: mostly MD physicians (1 in 50 DO), and some nurses and pharmacists. */
export function professionOf(learner: number): CmeProfession {
  const slot = learner % 50;
  if (slot < 44) return 'physician-md';
  if (slot === 44) return 'physician-do';
  if (slot < 47) return 'nurse';
  if (slot < 49) return 'pharmacist';
  return 'other';
}

/** The credit type a profession claims (src/cme/core professionMayReceive). */
export function creditTypeOf(profession: CmeProfession): CreditType {
  if (profession === 'physician-md' || profession === 'physician-do') return 'ama-pra-1';
  if (profession === 'nurse') return 'ancc';
  if (profession === 'pharmacist' || profession === 'pharmacy-technician') return 'acpe';
  return 'participation';
}

/** A valid NPI from nine digits: the Luhn check digit over "80840" + them (src/cme/profile/profile.identifiers.ts). */
export function npiOf(nineDigits: string): string {
  const digits = `80840${nineDigits}`;
  let sum = 0;
  // From the right of the payload (the check digit's place is to its right): every first digit doubled.
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return `${nineDigits}${(10 - (sum % 10)) % 10}`;
}

const firstNames = [
  'Ana',
  'Ben',
  'Chloe',
  'Dev',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jon',
  'Kemi',
  'Luis',
];
const lastNames = [
  'Ruiz',
  'Park',
  'Okafor',
  'Nguyen',
  'Smith',
  'Haddad',
  'Kowalski',
  'Tanaka',
  'Moreau',
  'Silva',
];
const states = ['IL', 'WI', 'MN', 'IA', 'MO', 'IN', 'OH', 'MI', 'TX', 'CA'];

export function learnerName(learner: number): [string, string] {
  return [firstNames[learner % firstNames.length]!, `${lastNames[learner % lastNames.length]!}-${learner}`];
}

/**
 * Batches go in with `lean` (no per-document validation: 1,000,000 of them would take longer than the insert);
 * the first document of each kind is checked against its schema instead, so a field the schema requires cannot
 * go missing unnoticed.
 */
export function validated<T>(model: mongoose.Model<T>, document: object): void {
  const error = new model(document).validateSync();
  if (error) throw new Error(`seed: ${model.modelName} fails its schema: ${error.message}`);
}

export async function seedLearners(tenantId: mongoose.Types.ObjectId, learners: number, joined: Date) {
  const userIds: mongoose.Types.ObjectId[] = [];
  for (let start = 0; start < learners; start += batchSize) {
    const users = [];
    const profiles = [];
    for (let learner = start; learner < Math.min(learners, start + batchSize); learner++) {
      const _id = new mongoose.Types.ObjectId();
      userIds.push(_id);
      const [firstName, lastName] = learnerName(learner);
      const profession = professionOf(learner);
      users.push({ _id, tenantId, subject: `learner-${learner}`, name: `${firstName} ${lastName}` });
      const month = (learner % 12) + 1;
      const day = (learner % 28) + 1;
      const physician = profession.startsWith('physician');
      profiles.push({
        tenantId,
        userId: _id,
        profession,
        firstName,
        lastName,
        npi: npiOf(String(100_000_000 + learner * 37)),
        // 1 learner in 100 left out their birth month/day: their claims go to the PARS pre-check.
        birthMonthDay:
          learner % 100 === 7 ? '' : `${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`,
        ...(learner % 3 === 0
          ? {
              licenseNumber: `${physician ? 'MD' : 'RN'}${100000 + learner}`,
              licenseState: states[learner % 10],
            }
          : {}),
        ...(physician && learner % 4 === 1
          ? { certifyingBoard: 'American Board of Internal Medicine', boardId: String(200000 + learner) }
          : {}),
        ...(profession === 'pharmacist' ? { nabpEprofileId: String(1_000_000 + learner) } : {}),
        consents: {
          pars: { given: physician, at: joined },
          ...(profession === 'pharmacist' ? { cpeMonitor: { given: true, at: joined } } : {}),
          ...(profession === 'nurse' ? { ceBroker: { given: true, at: joined } } : {}),
        },
      });
    }
    if (start === 0) {
      validated(UserModel, users[0]!);
      validated(CmeProfileModel, profiles[0]!);
    }
    await UserModel.insertMany(users, { lean: true });
    await CmeProfileModel.insertMany(profiles, { lean: true });
  }
  return userIds;
}
