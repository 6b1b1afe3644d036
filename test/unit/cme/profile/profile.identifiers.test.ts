import { isRealMonthDay, isValidEprofileId, isValidNpi } from '../../../../src/cme/profile';

describe('NPI check digit (Luhn over "80840" + the first nine digits)', () => {
  it('when the last digit is the check digit, then the NPI is valid', () => {
    expect(isValidNpi('1234567893')).toBe(true);
  });

  it('when the last digit is wrong, or two digits are swapped, then the NPI is refused', () => {
    expect(isValidNpi('1234567890')).toBe(false);
    expect(isValidNpi('2134567893')).toBe(false);
  });

  it('when it is not 10 digits, then it is refused', () => {
    expect(isValidNpi('123456789')).toBe(false);
    expect(isValidNpi('12345678931')).toBe(false);
    expect(isValidNpi('12345678a3')).toBe(false);
  });
});

describe('birth month and day', () => {
  it('when the day exists in some year, then it is accepted: 02/29 included', () => {
    expect(isRealMonthDay('0229')).toBe(true);
    expect(isRealMonthDay('1231')).toBe(true);
    expect(isRealMonthDay('0101')).toBe(true);
  });

  it('when the day exists in no year, then it is refused: 02/30, 04/31, 13/01, 00/10', () => {
    for (const monthDay of ['0230', '0431', '1301', '0010', '0100', '229']) {
      expect(isRealMonthDay(monthDay)).toBe(false);
    }
  });
});

describe('NABP e-Profile ID', () => {
  it('when it has 6 to 9 digits, then it is accepted; fewer, more or letters are refused', () => {
    expect(isValidEprofileId('123456')).toBe(true);
    expect(isValidEprofileId('1234567')).toBe(true);
    expect(isValidEprofileId('123456789')).toBe(true);
    expect(isValidEprofileId('12345')).toBe(false);
    expect(isValidEprofileId('1234567890')).toBe(false);
    expect(isValidEprofileId('12345a7')).toBe(false);
  });
});
