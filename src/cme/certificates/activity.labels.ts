import type { ActivityFormat } from '../core';
import { calendarDateText } from './ledger.reading';

/** How an activity's format reads on a certificate (ACCME's activity types). */
export const formatLabels: Record<ActivityFormat, string> = {
  enduring: 'Enduring material',
  live: 'Live activity',
  rss: 'Regularly scheduled series',
  other: 'Other activity',
};

/** An activity's dates: one day, or "January 1, 2026 – December 31, 2026" (calendar dates, no zone). */
export function activityDatesText(startDate: string, endDate: string): string {
  if (!endDate || startDate === endDate) return calendarDateText(startDate);
  return `${calendarDateText(startDate)} – ${calendarDateText(endDate)}`;
}
