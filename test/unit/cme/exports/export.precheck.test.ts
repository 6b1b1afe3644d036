import { cpeMonitorOutcome, parsOutcome, reportingWindow } from '../../../../src/cme/exports/export.formats';
import { ceBrokerProblems, parsProblems } from '../../../../src/cme/exports/export.precheck';
import type { ActivityFacts, ReportingProfile, RowInput } from '../../../../src/cme/exports/export.types';

// The pre-checks and row rules of the reporting files (issue 14, item 2), as pure functions.

const activity: ActivityFacts = {
  title: 'Stress First Aid',
  accmeActivityId: 'ACCME-1',
  uan: 'JA0000123-0000-26-001-H04-P',
  ceBrokerProviderNumber: '50-1',
  ceBrokerCourseNumber: '20-2',
};

function profile(overrides: Partial<ReportingProfile> = {}): ReportingProfile {
  return {
    firstName: 'Priya',
    lastName: 'Raman',
    npi: '1234567893',
    licenseNumber: '',
    licenseState: '',
    certifyingBoard: '',
    boardId: '',
    birthMonthDay: '0704',
    nabpEprofileId: '1234567',
    consents: { pars: true, cpeMonitor: true, ceBroker: true },
    ...overrides,
  };
}

function input(overrides: Partial<RowInput> = {}): RowInput {
  return {
    entry: {
      completionDate: '2026-03-14',
      amount: 1.25,
      number: 'RND-1',
      activityKey: 'stress',
    } as RowInput['entry'],
    profile: profile(),
    activity,
    revokedBy: undefined,
    reported: false,
    daysSince: 0,
    ...overrides,
  };
}

describe('PARS pre-check', () => {
  it('when every identifier is there and valid, then there is nothing to fix', () => {
    expect(parsProblems(profile(), activity)).toEqual([]);
  });

  it('when the activity has no ACCME ID and the learner no name, then each is named', () => {
    expect(
      parsProblems(profile({ firstName: '', lastName: '' }), { ...activity, accmeActivityId: '' }),
    ).toEqual([
      'Add the ACCME activity ID to the activity “Stress First Aid”: publish a new version of it with the ID (claims of earlier versions then use it)',
      'Add the learner’s first name',
      'Add the learner’s last name',
    ]);
  });

  it('when there is a license without its state and no NPI, then the state is asked for', () => {
    expect(parsProblems(profile({ npi: '', licenseNumber: '036123456' }), activity)).toEqual([
      'Add the state that issued the license, or a valid NPI',
    ]);
  });

  it('when a board has no board ID, or a board ID no board, then the missing half is named', () => {
    expect(parsProblems(profile({ certifyingBoard: 'ABIM' }), activity)).toEqual([
      'Add the learner’s ID with the certifying board (ABIM)',
    ]);
    expect(parsProblems(profile({ boardId: '123' }), activity)).toEqual([
      'Add the certifying board that issued the board ID',
    ]);
  });

  it('when the birth day is missing or not a day, then it is named', () => {
    expect(parsProblems(profile({ birthMonthDay: '' }), activity)).toEqual([
      'Add the learner’s birth month and day',
    ]);
    expect(parsProblems(profile({ birthMonthDay: '0230' }), activity)).toEqual([
      'The birth month and day “0230” is not a real day (MMDD): correct it',
    ]);
  });
});

describe('PARS rows', () => {
  it('when a license and its state are given, then the license goes in “Licensing ID or NPI”, else the NPI', () => {
    const withLicense = parsOutcome(input({ profile: profile({ licenseNumber: 'L1', licenseState: 'IL' }) }));
    expect(withLicense).toMatchObject({ row: expect.arrayContaining(['IL', 'L1']) });
    expect(parsOutcome(input())).toMatchObject({
      row: expect.arrayContaining(['1234567893']),
      receipt: 'add',
    });
  });

  it('when the learner has not consented, or the revoked claim was never reported, then there is no row', () => {
    expect(
      parsOutcome(
        input({ profile: profile({ consents: { pars: false, cpeMonitor: true, ceBroker: true } }) }),
      ),
    ).toBeNull();
    expect(parsOutcome(input({ profile: null }))).toBeNull();
    expect(parsOutcome(input({ revokedBy: 'RND-9' }))).toBeNull();
    expect(parsOutcome(input({ revokedBy: 'RND-9', reported: true }))).toMatchObject({
      receipt: 'delete',
      row: expect.arrayContaining(['delete']),
    });
    // Consent governs new adds, never the withdrawal of what was sent.
    const withdrawn = profile({ consents: { pars: false, cpeMonitor: false, ceBroker: false } });
    expect(parsOutcome(input({ profile: withdrawn, revokedBy: 'RND-9', reported: true }))).toMatchObject({
      receipt: 'delete',
    });
  });
});

describe('CPE Monitor and CE Broker', () => {
  it('when a participation is 44, 45, 60 or 61 days old, then the window reads ok, approaching, approaching, past', () => {
    expect([44, 45, 60, 61].map(reportingWindow)).toEqual([
      'ok',
      'approaching (day 45)',
      'approaching (day 60)',
      'past (day 61)',
    ]);
    // Past day 60 the record stays in the file, flagged, but counts as no report (NABP refuses it).
    expect(cpeMonitorOutcome(input({ daysSince: 61 }))).toMatchObject({ receipt: 'none' });
    expect(cpeMonitorOutcome(input({ daysSince: 60 }))).toMatchObject({ receipt: 'add' });
  });

  it('when the ACPE designation has no UAN, then the record goes to the pre-check', () => {
    expect(cpeMonitorOutcome(input({ activity: { ...activity, uan: '' } }))).toEqual({
      problems: [
        'Add the UAN to the ACPE designation of the activity “Stress First Aid”: publish a new version of it with the UAN (claims of earlier versions then use it)',
      ],
    });
  });

  it('when a nurse’s state is not a US state and the course has no numbers, then CE Broker’s pre-check names all of it', () => {
    expect(
      ceBrokerProblems(profile({ licenseNumber: 'RN1', licenseState: 'XX' }), {
        ...activity,
        ceBrokerProviderNumber: '',
        ceBrokerCourseNumber: '',
      }),
    ).toEqual([
      'Add the CE Broker provider number to the activity “Stress First Aid”: publish a new version of it with the number (claims of earlier versions then use it)',
      'Add the CE Broker course number to the activity “Stress First Aid”: publish a new version of it with the number (claims of earlier versions then use it)',
      'The licensing state “XX” is not a US state code: correct it',
    ]);
  });
});
