import { DateTime } from 'luxon';
import type { CpeMonitorWindow, ReportingBody } from '../exports';

/**
 * Where the home reads what waits to be reported: the exports' dashboard functions (src/cme/exports,
 * export.dashboard.ts). Passed in by src/cme/index.ts rather than imported, because exports/ already imports
 * reports/ (the report's filter rules) and a cycle between the two doors would load one of them half made.
 */
export interface ReportingStatusSource {
  reportingStatus(
    tenantId: string,
    now: Date,
  ): Promise<{ awaiting: Record<ReportingBody, number>; window: CpeMonitorWindow }>;
}

/** Each body, who it takes and the export that reports to it (DOMAIN.md "Reporting"). */
const bodies: Array<{ body: ReportingBody; label: string; who: string; format: string }> = [
  { body: 'pars', label: 'ACCME PARS', who: 'Physicians’ AMA PRA Category 1 Credit™', format: 'pars-csv' },
  {
    body: 'cpe-monitor',
    label: 'NABP CPE Monitor',
    who: 'Pharmacists’ and pharmacy technicians’ ACPE credit',
    format: 'cpe-monitor-csv',
  },
  { body: 'ce-broker', label: 'CE Broker', who: 'Nurses’ ANCC contact hours', format: 'ce-broker-csv' },
];

/** `YYYY-MM-DD` as people read it: 14 March 2026. */
const readableDate = (date: string) =>
  DateTime.fromISO(date, { zone: 'utc' }).setLocale('en-US').toFormat('d LLLL yyyy');

const claimsWord = (count: number) => `${count.toLocaleString('en-US')} ${count === 1 ? 'claim' : 'claims'}`;

/** The home's "waiting to be reported" rows: per body, the count and a link to its export, the format chosen. */
export function awaitingRows(counts: Record<ReportingBody, number>) {
  return bodies.map(({ body, label, who, format }) => ({
    label,
    who,
    count: counts[body] ?? 0,
    countLabel: claimsWord(counts[body] ?? 0),
    href: `/cme/admin/exports?format=${format}`,
    linkLabel: `Export for ${label}`,
  }));
}

/**
 * The home's CPE Monitor panel: the counts, and each listed claim with its day in words. NABP accepts records up
 * to 60 days after participation and refuses later ones (DOMAIN.md "Reporting"); the exports flag day 45 on.
 */
export function cpeMonitorPanel(window: CpeMonitorWindow) {
  const total = window.approaching + window.past;
  return {
    approaching: window.approaching,
    past: window.past,
    approachingLabel: claimsWord(window.approaching),
    pastLabel: claimsWord(window.past),
    total,
    listedAll: window.items.length >= total,
    items: window.items.map((item) => ({
      learner: item.learner,
      activityTitle: item.activityTitle,
      completedOn: readableDate(item.completionDate),
      day: item.day,
      isPast: item.status === 'past',
      statusLabel:
        item.status === 'past'
          ? `Past the limit: day ${item.day}, NABP refuses it`
          : `Approaching the limit: day ${item.day} of 60`,
    })),
  };
}
