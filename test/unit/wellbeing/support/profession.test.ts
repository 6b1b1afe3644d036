import { UserModel } from '../../../../src/tenancy';
import {
  isServedByPhysicianSupportLine,
  parseProfession,
  professionLabels,
  professions,
} from '../../../../src/wellbeing/support/profession';

describe('reading the LMS’s profession custom parameter', () => {
  it.each([
    ['nurse', 'nurse'],
    ['Nurse', 'nurse'],
    [' NURSE ', 'nurse'],
    ['RN', 'nurse'],
    ['Registered_nurse', 'nurse'],
    ['physician', 'physician'],
    ['MD', 'physician'],
    ['D.O.', 'physician'],
    ['M.D.', 'physician'],
    ['Resident', 'physician'],
    ['resident physician', 'physician'],
    ['Medical student', 'medical-student'],
    ['medical_student', 'medical-student'],
    ['MEDICAL-STUDENT', 'medical-student'],
    ['PharmD', 'pharmacist'],
    ['Pharmacy technician', 'technician'],
    ['other', 'other'],
  ])('when the LMS sends %j, then Rounds reads %s', (value, expected) => {
    expect(parseProfession(value)).toBe(expected);
  });

  it.each([
    ['an unsubstituted Moodle variable', '$Person.profession'],
    ['a bare "student" (not known to be medical)', 'student'],
    ['an empty value', ''],
    ['an unknown word', 'astronaut'],
    ['an inherited object key', 'constructor'],
    ['a number', 3],
    ['nothing', undefined],
    ['a value too long to be a profession', 'nurse'.repeat(30)],
  ])('when the LMS sends %s, then Rounds reads no profession (and changes nothing)', (_what, value) => {
    expect(parseProfession(value)).toBeUndefined();
  });
});

describe('the profession list', () => {
  it('when the User model stores a profession, then it accepts exactly the professions support knows', () => {
    expect(UserModel.schema.path('profession').options.enum).toEqual([...professions]);
  });

  it('when a profession is shown, then it has a label', () => {
    for (const profession of professions) expect(professionLabels[profession]).toMatch(/\w/);
  });

  it('when asked whom the Physician Support Line serves, then only physicians and medical students', () => {
    expect(professions.filter(isServedByPhysicianSupportLine)).toEqual(['physician', 'medical-student']);
    expect(isServedByPhysicianSupportLine(undefined)).toBe(false);
  });
});
