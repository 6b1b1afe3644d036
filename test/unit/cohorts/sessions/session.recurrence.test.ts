import {
  countOccurrences,
  instantInZone,
  isOccurrenceOf,
  maxOccurrences,
  occurrenceKey,
  occurrenceStarts,
  occurrencesOf,
  parseOccurrenceKey,
} from '../../../../src/cohorts/sessions/session.recurrence';
import { formatDuration, formatOccurrence } from '../../../../src/cohorts/sessions/session.format';
import { sessionFormSchema } from '../../../../src/cohorts/sessions/session.schemas';
import { fieldErrors } from '../../../../src/shared/http/fieldErrors';

const chicago = 'America/Chicago';
const weeklyAcrossTheChange = {
  startsAt: instantInZone('2026-10-22', '18:00', chicago)!,
  timeZone: chicago,
  recurrence: 'weekly' as const,
  repeatUntil: '2026-11-12',
};

describe('a weekly 18:00 America/Chicago session across the 2026-11-01 daylight-saving change', () => {
  const starts = occurrenceStarts(weeklyAcrossTheChange);

  it('when clocks fall back, then the UTC instant moves by an hour and the wall time stays 18:00 in Chicago', () => {
    expect(starts.map((start) => start.toISOString())).toEqual([
      '2026-10-22T23:00:00.000Z',
      '2026-10-29T23:00:00.000Z',
      '2026-11-06T00:00:00.000Z',
      '2026-11-13T00:00:00.000Z',
    ]);
    const inChicago = starts.map((start) =>
      formatOccurrence(start, new Date(start.getTime() + 3_600_000), chicago),
    );
    expect(inChicago.map((label) => label.full)).toEqual([
      'Thursday 22 October 2026, 18:00–19:00 CDT',
      'Thursday 29 October 2026, 18:00–19:00 CDT',
      'Thursday 5 November 2026, 18:00–19:00 CST',
      'Thursday 12 November 2026, 18:00–19:00 CST',
    ]);
  });

  it('when read in Europe/London (which changed a week earlier), then each shows its own local time and date', () => {
    const inLondon = starts.map(
      (start) => formatOccurrence(start, new Date(start.getTime() + 3_600_000), 'Europe/London').full,
    );
    expect(inLondon).toEqual([
      'Friday 23 October 2026, 00:00–01:00 GMT+1',
      'Thursday 29 October 2026, 23:00–00:00 (next day) GMT',
      'Friday 6 November 2026, 00:00–01:00 GMT',
      'Friday 13 November 2026, 00:00–01:00 GMT',
    ]);
  });

  it('when occurrences get their end, then each lasts the session’s duration', () => {
    const occurrences = occurrencesOf({ ...weeklyAcrossTheChange, durationMinutes: 90 });
    expect(occurrences[2]!.end.toISOString()).toBe('2026-11-06T01:30:00.000Z');
  });
});

describe('other repeats', () => {
  it('when a session repeats every two weeks, then it skips a week and stops on its last date', () => {
    const starts = occurrenceStarts({ ...weeklyAcrossTheChange, recurrence: 'biweekly' });
    expect(starts.map((start) => start.toISOString())).toEqual([
      '2026-10-22T23:00:00.000Z',
      '2026-11-06T00:00:00.000Z',
    ]);
  });

  it('when a monthly session starts on the 31st, then shorter months get their last day, and later months the 31st again', () => {
    const starts = occurrenceStarts({
      startsAt: instantInZone('2027-01-31', '09:00', chicago)!,
      timeZone: chicago,
      recurrence: 'monthly',
      repeatUntil: '2027-03-31',
    });
    expect(starts.map((start) => formatOccurrence(start, start, chicago).date)).toEqual([
      'Sunday 31 January 2027',
      'Sunday 28 February 2027',
      'Wednesday 31 March 2027',
    ]);
  });

  it('when a session does not repeat, then it has its one occurrence whatever the last date says', () => {
    const start = instantInZone('2026-12-01', '12:00', chicago)!;
    expect(
      occurrenceStarts({ startsAt: start, timeZone: chicago, recurrence: 'none', repeatUntil: '2027-01-01' }),
    ).toEqual([start]);
  });

  it('when a weekly series runs over a year, then it is counted past the limit of 52', () => {
    const rule = { ...weeklyAcrossTheChange, repeatUntil: '2027-12-31' };
    expect(countOccurrences(rule)).toBe(maxOccurrences + 1);
    expect(occurrenceStarts(rule)).toHaveLength(maxOccurrences);
  });
});

describe('occurrence keys', () => {
  it('when a key is made and read back, then it names the same instant, and only real occurrences count', () => {
    const start = occurrenceStarts(weeklyAcrossTheChange)[2]!;
    expect(occurrenceKey(start)).toBe('2026-11-06T00:00:00Z');
    expect(parseOccurrenceKey('2026-11-06T00:00:00Z')).toEqual(start);
    expect(isOccurrenceOf(weeklyAcrossTheChange, start)).toBe(true);
    expect(isOccurrenceOf(weeklyAcrossTheChange, new Date('2026-11-05T23:00:00Z'))).toBe(false);
    for (const bad of ['2026-11-06', '2026-11-06T00:00:00+01:00', 'tomorrow', '2026-13-06T00:00:00Z']) {
      expect(parseOccurrenceKey(bad)).toBeUndefined();
    }
  });
});

describe('wall-clock input', () => {
  it('when a time is entered in a zone, then it is that zone’s wall time; nonsense gives nothing', () => {
    expect(instantInZone('2026-07-01', '18:00', chicago)!.toISOString()).toBe('2026-07-01T23:00:00.000Z');
    expect(instantInZone('2026-02-30', '18:00', chicago)).toBeUndefined();
    expect(instantInZone('2026-07-01', '25:00', chicago)).toBeUndefined();
  });

  it('when durations are shown, then they read in words', () => {
    expect(formatDuration(60)).toBe('1 hour');
    expect(formatDuration(90)).toBe('1 hour 30 minutes');
    expect(formatDuration(45)).toBe('45 minutes');
  });
});

describe('the new-session form', () => {
  const schema = sessionFormSchema(chicago);
  const good = {
    title: 'Group mentoring',
    audience: 'group',
    location: '',
    date: '2026-10-22',
    startTime: '18:00',
    endTime: '19:00',
    recurrence: 'weekly',
    repeatUntil: '2026-11-12',
  };
  const errorsOf = (form: object) => {
    const parsed = schema.safeParse(form);
    return parsed.success ? {} : fieldErrors(parsed.error);
  };

  it('when the form is right, then it gives the first start in UTC and the length in minutes', () => {
    const parsed = schema.parse(good);
    expect(parsed.startsAt.toISOString()).toBe('2026-10-22T23:00:00.000Z');
    expect(parsed.durationMinutes).toBe(60);
    expect(parsed.repeatUntil).toBe('2026-11-12');
  });

  it('when the session ends before it starts, then the end time is refused', () => {
    expect(errorsOf({ ...good, endTime: '17:00' })).toEqual({
      endTime: 'The session must end after it starts: enter an end time later than the start time.',
    });
  });

  it('when a repeating session has no last date, then the last date is asked for', () => {
    expect(errorsOf({ ...good, repeatUntil: '' }).repeatUntil).toMatch(/needs an end/);
  });

  it('when the last date is before the first, or the series would exceed 52, then the last date is refused', () => {
    expect(errorsOf({ ...good, repeatUntil: '2026-10-01' }).repeatUntil).toMatch(/on or after/);
    expect(errorsOf({ ...good, repeatUntil: '2028-01-01' }).repeatUntil).toMatch(/at most 52/);
  });

  it('when the title is empty or the date is not a date, then each is refused at its field', () => {
    const errors = errorsOf({ ...good, title: '  ', date: '2026-02-30' });
    expect(errors.title).toMatch(/Enter a title/);
    expect(errors.date).toMatch(/Enter the date/);
  });
});
