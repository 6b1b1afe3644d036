import { DateTime } from 'luxon';
import { cmeProfessionLabels, creditTypeLabels, type CmeProfession, type CreditType } from '../core';
import type { CmeExport } from './export.model';

// How export records read on the pages (job page, export log, refusals): times, filters, sizes, people.

/** A number as the pages write it (1,048,575). */
export const count = (value: number) => value.toLocaleString('en-US');

/**
 * An instant as the pages show it, in the zone the export was made in (its record's `timeZone`, named beside it on
 * the page): the tenant may have changed zones since, and the export's dates were counted in this one.
 */
export function shownAt(at: Date | null | undefined, timeZone: string): string {
  return at ? DateTime.fromJSDate(at, { zone: timeZone }).toFormat('d LLL yyyy, HH:mm') : '';
}

/** Who asked, with what kind of sign-in: an LMS administrator's launch or a Rounds account. */
export function personOf(person: { kind?: string | null; name?: string | null } | null | undefined): string {
  const kind =
    person?.kind === 'account' ? 'Rounds account' : person?.kind === 'lti-admin' ? 'LMS admin' : '';
  const name = person?.name || 'Unknown';
  return kind ? `${name} (${kind})` : name;
}

/** The filters of an export as the coordinator reads them: every filter, "all" where none was chosen. */
export function filterFacts(
  filter: CmeExport['filter'],
  titles: Map<string, string>,
): Array<{ label: string; value: string }> {
  const { from = '', to = '', activity = '', creditType = '', profession = '' } = filter ?? {};
  const dates = from && to ? `${from} to ${to}` : from ? `from ${from}` : to ? `up to ${to}` : 'any';
  return [
    { label: 'Completion dates', value: dates },
    { label: 'Activity', value: activity ? (titles.get(activity) ?? activity) : 'All activities' },
    {
      label: 'Credit type',
      value: creditType ? creditTypeLabels[creditType as CreditType] : 'All credit types',
    },
    {
      label: 'Profession',
      value: profession ? cmeProfessionLabels[profession as CmeProfession] : 'All professions',
    },
  ];
}

/** A file size as people read it, with the exact byte count beside it. */
export function sizeOf(bytes: number): string {
  const exact = `${count(bytes)} bytes`;
  if (bytes < 1024) return exact;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KB'] : [bytes / (1024 * 1024), 'MB'];
  return `${value.toLocaleString('en-US', { maximumFractionDigits: 1 })} ${unit} (${exact})`;
}

/** The job page of an export. */
export const jobPath = (id: unknown) => `/cme/admin/exports/${String(id)}`;
