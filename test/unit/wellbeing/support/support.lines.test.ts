import { chooseSupportLines, telephoneHref } from '../../../../src/wellbeing/support/support.service';

const eap = {
  name: 'Mercy Health EAP',
  phone: '1 (800) 555-0100',
  hours: '24 hours a day',
  url: 'https://eap.mercy.example/help',
};
const ids = (lines: ReturnType<typeof chooseSupportLines>) => lines.map((line) => line.id);

describe('which support lines someone sees', () => {
  it.each(['physician', 'medical-student'] as const)(
    'when the person is a %s, then 988, the EAP and the Physician Support Line',
    (profession) => {
      expect(ids(chooseSupportLines(profession, eap))).toEqual(['988', 'eap', 'physician-support-line']);
    },
  );

  it.each(['nurse', 'pharmacist', 'technician'] as const)(
    'when the person is a %s, then 988 and the EAP, without the Physician Support Line',
    (profession) => {
      expect(ids(chooseSupportLines(profession, eap))).toEqual(['988', 'eap']);
    },
  );

  it.each([undefined, 'other'] as const)(
    'when the profession is %s (unknown), then every line, each saying whom it serves',
    (profession) => {
      const lines = chooseSupportLines(profession, eap);
      expect(ids(lines)).toEqual(['988', 'eap', 'physician-support-line']);
      for (const line of lines) expect(line.serves).toMatch(/\w{4}/);
      expect(lines.find((line) => line.id === 'physician-support-line')!.serves).toMatch(
        /physicians.*medical students/,
      );
    },
  );

  it('when the 988 line is shown, then it can be called, texted and chatted with', () => {
    const [crisis] = chooseSupportLines('nurse', eap);
    expect(crisis!.contacts.map((contact) => contact.href)).toEqual([
      'tel:988',
      'sms:988',
      'https://988lifeline.org/chat',
    ]);
  });

  it('when the Physician Support Line is shown, then its number dials 1-888-409-0141', () => {
    const line = chooseSupportLines('physician', eap).find((item) => item.id === 'physician-support-line')!;
    expect(line.contacts[0]).toEqual({ label: 'Call 1-888-409-0141', href: 'tel:+18884090141' });
    expect(line.hours).toContain('8 am to 1 am Eastern Time');
  });

  it('when the tenant set its EAP, then the line carries its name, hours, a dialable number and its https link', () => {
    const line = chooseSupportLines('nurse', eap)[1]!;
    expect(line).toMatchObject({ name: 'Mercy Health EAP', hours: '24 hours a day' });
    expect(line.contacts).toEqual([
      { label: 'Call 1 (800) 555-0100', href: 'tel:18005550100' },
      { label: 'Visit eap.mercy.example', href: 'https://eap.mercy.example/help', external: true },
    ]);
  });

  it.each([
    ['no tenant is known', undefined],
    ['the tenant has not set one', { name: '', phone: '', hours: '', url: '' }],
  ])('when %s, then the EAP line says to ask a manager or HR instead of a blank', (_when, given) => {
    const line = chooseSupportLines('nurse', given)[1]!;
    expect(line.id).toBe('eap');
    expect(line.description).toContain('Ask your manager or HR for your employee assistance program');
    expect(line.contacts).toEqual([]);
  });

  it('when a caller changes the lines it got, then the next caller still gets the originals', () => {
    chooseSupportLines('nurse', eap)[0]!.contacts[0]!.href = 'tel:000';
    expect(chooseSupportLines('nurse', eap)[0]!.contacts[0]!.href).toBe('tel:988');
  });
});

describe('a phone number as a link', () => {
  it.each([
    ['1-800-555-0100', 'tel:18005550100'],
    ['+44 20 7946 0000', 'tel:+442079460000'],
    ['(312) 555.0199', 'tel:3125550199'],
  ])('when the number is %j, then the link is %s', (phone, href) => {
    expect(telephoneHref(phone)).toBe(href);
  });
});
