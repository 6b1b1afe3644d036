/**
 * Checks of the identifiers boards and registries need (DOMAIN.md "Reporting"). Pure, for the form schema and
 * for anyone who must trust a stored value.
 */

/**
 * Whether a 10-digit NPI's last digit is its check digit: the Luhn check over "80840" (the health-industry
 * prefix of ISO 7812) followed by the NPI's first nine digits (CMS, NPI check digit).
 */
export function isValidNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `80840${npi}`;
  let sum = 0;
  // From the right: the check digit as is, every second digit before it doubled (digits of the product summed).
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

const daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether `MMDD` is a day of some year: 0229 is (people are born on leap days), 0230 and 1301 are not. */
export function isRealMonthDay(monthDay: string): boolean {
  if (!/^\d{4}$/.test(monthDay)) return false;
  const month = Number(monthDay.slice(0, 2));
  const day = Number(monthDay.slice(2));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth[month - 1]!;
}

/**
 * NABP e-Profile IDs are all digits; issued ones have 6 or 7. Rounds accepts 6 to 9 digits so a longer ID NABP may
 * issue later is not refused, while a typo that drops or adds a handful of digits is.
 */
export function isValidEprofileId(id: string): boolean {
  return /^\d{6,9}$/.test(id);
}
