import { fieldErrors } from '../../../../src/shared/http/fieldErrors';
import { profileFormSchema, settingsFormSchema } from '../../../../src/wellbeing/support/support.schemas';

const valid = {
  eapName: 'Mercy Health EAP',
  eapPhone: '1-800-555-0100',
  eapHours: 'Any time',
  eapUrl: 'https://eap.mercy.example',
  timeZone: 'America/Chicago',
};

function errorsOf(form: Record<string, unknown>) {
  const parsed = settingsFormSchema.safeParse(form);
  return parsed.success ? {} : fieldErrors(parsed.error);
}

describe('the profile form', () => {
  it.each(['nurse', 'medical-student', 'prefer-not-to-say'])(
    'when %s is chosen, then it is accepted',
    (value) => {
      expect(profileFormSchema.parse({ profession: value })).toEqual({ profession: value });
    },
  );

  it.each([['astronaut'], [''], [undefined], [['nurse', 'physician']]])(
    'when %j is sent, then it is refused with a message to choose',
    (value) => {
      const parsed = profileFormSchema.safeParse({ profession: value });
      expect(parsed.success).toBe(false);
      expect(fieldErrors(parsed.error!).profession).toBe('Choose your profession, or “Prefer not to say”.');
    },
  );
});

describe('the well-being settings form', () => {
  it('when every field is valid and both boxes ticked, then it parses with the confirmations on', () => {
    expect(settingsFormSchema.parse({ ...valid, confirmPss10: 'yes', confirmMiniZ2: 'yes' })).toEqual({
      ...valid,
      confirmPss10: true,
      confirmMiniZ2: true,
    });
  });

  it('when the EAP is left empty and no box is ticked, then it parses with the confirmations off', () => {
    expect(settingsFormSchema.parse({ timeZone: 'UTC' })).toMatchObject({
      eapName: '',
      eapPhone: '',
      confirmPss10: false,
      confirmMiniZ2: false,
    });
  });

  it.each([
    ['letters in the phone', { eapPhone: 'call us' }, 'eapPhone'],
    ['too few digits', { eapPhone: '12' }, 'eapPhone'],
    ['an http link', { eapUrl: 'http://eap.mercy.example' }, 'eapUrl'],
    ['a javascript: link', { eapUrl: 'javascript:alert(1)' }, 'eapUrl'],
    ['a link that is not an address', { eapUrl: 'eap dot com' }, 'eapUrl'],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, 'timeZone'],
    ['no time zone', { timeZone: '' }, 'timeZone'],
    ['an EAP phone without a name', { eapName: '' }, 'eapName'],
    ['an EAP name without a phone', { eapPhone: '' }, 'eapPhone'],
  ])('when the form has %s, then that field has the error', (_what, change, field) => {
    expect(Object.keys(errorsOf({ ...valid, ...change }))).toEqual([field]);
  });

  it('when a field fails and the EAP lacks its name, then both errors are shown at once', () => {
    expect(Object.keys(errorsOf({ ...valid, eapName: '', eapUrl: 'http://x.example' })).sort()).toEqual([
      'eapName',
      'eapUrl',
    ]);
  });
});
