import { fieldErrors } from '../../../../src/shared/http/fieldErrors';
import { profileFormSchema, sameSitePath } from '../../../../src/cme/profile/profile.schemas';

const valid = { profession: 'physician-md', firstName: 'Priya', lastName: 'Raman' };

function errorsOf(fields: Record<string, string>) {
  const parsed = profileFormSchema.safeParse({ ...valid, ...fields });
  return parsed.success ? {} : fieldErrors(parsed.error);
}

describe('the reporting profile form', () => {
  it('when only the profession and names are given, then it is accepted with empty identifiers and no consents', () => {
    const parsed = profileFormSchema.parse(valid);
    expect(parsed).toMatchObject({
      profession: 'physician-md',
      npi: '',
      birthMonthDay: '',
      consentPars: false,
    });
  });

  it('when the NPI is typed with spaces, then its digits are kept; a wrong check digit is refused at the NPI', () => {
    expect(profileFormSchema.parse({ ...valid, npi: '1234 567 893' }).npi).toBe('1234567893');
    expect(errorsOf({ npi: '1234567890' }).npi).toMatch(/check digit/);
    expect(errorsOf({ npi: '12345' }).npi).toMatch(/10 digits/);
  });

  it('when the birth day is 02/30, then it is refused at the month, naming the date; 02/29 is kept as 0229', () => {
    expect(errorsOf({ birthMonth: '02', birthDay: '30' }).birthMonth).toBe(
      'There is no 02/30 in any year: check the month and the day.',
    );
    expect(profileFormSchema.parse({ ...valid, birthMonth: '2', birthDay: '29' }).birthMonthDay).toBe('0229');
  });

  it('when one of a pair is missing, then the other is asked for', () => {
    expect(errorsOf({ licenseNumber: 'A12345' }).licenseState).toMatch(/state/);
    expect(errorsOf({ licenseState: 'IL' }).licenseNumber).toMatch(/license number/);
    expect(errorsOf({ certifyingBoard: 'American Board of Internal Medicine' }).boardId).toMatch(/ID/);
    expect(errorsOf({ birthMonth: '03' }).birthDay).toMatch(/month and the day/);
    expect(errorsOf({ licenseState: 'ZZ', licenseNumber: 'A1' }).licenseState).toMatch(/from the list/);
  });

  it('when a consent is given without what its registry needs, then the missing field says so', () => {
    expect(errorsOf({ consentPars: 'yes' })).toMatchObject({
      birthMonth: 'To report to PARS, choose your birth month and day.',
      npi: 'To report to PARS, enter your NPI or your state license number and state.',
    });
    expect(errorsOf({ consentCpeMonitor: 'yes', birthMonth: '01', birthDay: '15' }).nabpEprofileId).toMatch(
      /CPE Monitor/,
    );
    expect(errorsOf({ consentCeBroker: 'yes' }).licenseNumber).toMatch(/CE Broker/);
  });

  it('when several fields are wrong at once, then each shows its message together with the cross-field ones', () => {
    const errors = errorsOf({ profession: '', npi: '1234567890', birthMonth: '02', birthDay: '30' });
    expect(Object.keys(errors).sort()).toEqual(['birthMonth', 'npi', 'profession']);
  });
});

describe('where the profile returns to (?next=)', () => {
  it('when next is a path of this site, then it is followed', () => {
    expect(sameSitePath('/cme/activities/demo?x=1')).toBe('/cme/activities/demo?x=1');
  });

  it('when next points elsewhere, then it is ignored', () => {
    for (const next of [
      'https://evil.example/',
      '//evil.example/',
      '/\\evil.example',
      'cme',
      '/a b',
      '',
      undefined,
    ]) {
      expect(sameSitePath(next)).toBeUndefined();
    }
  });
});
