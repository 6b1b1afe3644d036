import ical from 'ical-generator';

/** One occurrence as a calendar event. */
export interface CalendarEvent {
  /** Stable across downloads, so a calendar app updates the event instead of adding a copy. */
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
}

/**
 * An iCalendar (RFC 5545) file: each occurrence its own VEVENT with UTC DTSTART/DTEND (`…Z`, RFC 5545 §3.3.5
 * form 2). Expanded occurrences need no VTIMEZONE and no RRULE for the reader to interpret, so every calendar app
 * shows them at the right instant across daylight-saving changes, in its own zone. `stamp` makes the output
 * reproducible for the same data (DTSTAMP is when the file was made).
 */
export function buildCalendar(name: string, events: CalendarEvent[], stamp = new Date()): string {
  const calendar = ical({ name, prodId: { company: 'Rounds', product: 'Cohort sessions', language: 'EN' } });
  for (const event of events) {
    calendar.createEvent({
      id: event.uid,
      start: event.start,
      end: event.end,
      stamp,
      summary: event.summary,
      ...(event.description ? { description: event.description } : {}),
      ...(event.location ? { location: event.location } : {}),
      ...(event.url ? { url: event.url } : {}),
    });
  }
  return calendar.toString();
}
