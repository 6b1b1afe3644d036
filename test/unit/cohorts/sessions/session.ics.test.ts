import { buildCalendar } from '../../../../src/cohorts/sessions/session.ics';

describe('the .ics file', () => {
  it('when occurrences are written, then each is its own VEVENT in UTC with escaped text', () => {
    const body = buildCalendar(
      'Cohort: Group mentoring',
      [
        {
          uid: 's1-1@rounds',
          start: new Date('2026-10-29T23:00:00Z'),
          end: new Date('2026-10-30T00:00:00Z'),
          summary: 'Group mentoring; week 2, room',
          location: 'Room 4B',
        },
        {
          uid: 's1-2@rounds',
          start: new Date('2026-11-06T00:00:00Z'),
          end: new Date('2026-11-06T01:00:00Z'),
          summary: 'x',
        },
      ],
      new Date('2026-10-01T00:00:00Z'),
    );
    expect(body).toContain('BEGIN:VCALENDAR');
    expect(body.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(body).toContain('DTSTART:20261029T230000Z');
    expect(body).toContain('DTSTART:20261106T000000Z');
    expect(body).toContain('DTSTAMP:20261001T000000Z');
    expect(body).toContain('SUMMARY:Group mentoring\\; week 2\\, room');
    expect(body).not.toContain('RRULE');
    expect(body).not.toContain('TZID');
  });
});
