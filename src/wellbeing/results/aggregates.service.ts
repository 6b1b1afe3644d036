import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import type { Actor } from '../../shared/auth/actor';
import { ForbiddenError } from '../../shared/errors';
import { allInstruments, enabledInstrumentsFor } from '../instruments';
import { tenantTimeZone } from '../../tenancy';
import { smallestShownGroup, suppressRow, type ShownCount } from './suppression';
import { WellbeingTallyModel } from './vault.models';

/** A cell as the page prints it: the count, or "fewer than 10". */
export interface AggregateCell {
  bandLabel: string;
  shown: ShownCount;
  text: string;
}

export interface AggregateRow {
  month: string;
  monthLabel: string;
  cells: AggregateCell[];
}

export interface InstrumentAggregate {
  id: string;
  name: string;
  bands: { id: string; label: string }[];
  rows: AggregateRow[];
  /** Results exist, but only in the month still under way. */
  onlyCurrentMonth: boolean;
}

/**
 * The tenant's self-check aggregates for its admins: per instrument, per closed month (newest first), how many
 * people's latest result that month fell in each band, every group under 10 shown as "fewer than 10", and no
 * totals (suppression.ts). Read from the anonymous tallies only: no result is opened and no learner is named.
 * Only months that have ended, in the tenant's time zone, are shown: a live month would let an admin who reloads
 * the page around one person's launch see which band moved. Every month from the first with results to the last
 * closed one has a row, empty ones too, so a month with nobody reads like a month with a few.
 */
export async function aggregatesFor(actor: Actor, now = new Date()): Promise<InstrumentAggregate[]> {
  if (actor.role !== 'admin') throw new ForbiddenError();
  const [grouped, zone, enabledIds] = await Promise.all([
    WellbeingTallyModel.aggregate<{
      _id: { instrument: string; month: string; band: string };
      people: number;
    }>([
      { $match: { tenantId: new mongoose.Types.ObjectId(actor.tenantId) } },
      { $group: { _id: { instrument: '$instrument', month: '$month', band: '$band' }, people: { $sum: 1 } } },
    ]),
    tenantTimeZone(actor.tenantId),
    enabledInstrumentsFor(actor.tenantId),
  ]);
  const currentMonth = DateTime.fromJSDate(now).setZone(zone).toFormat('yyyy-MM');
  const enabled = new Set<string>(enabledIds);
  const counted = new Set(grouped.map((group) => group._id.instrument));
  return allInstruments()
    .filter((instrument) => enabled.has(instrument.id) || counted.has(instrument.id))
    .map((instrument) => {
      const mine = grouped.filter((group) => group._id.instrument === instrument.id);
      const first = mine.map((group) => group._id.month).sort()[0];
      const months = first ? closedMonths(first, currentMonth) : [];
      return {
        id: instrument.id,
        name: instrument.name,
        bands: instrument.bands.map((band) => ({ id: band.id, label: band.label })),
        onlyCurrentMonth: first !== undefined && months.length === 0,
        rows: months.map((month) => {
          const counts = instrument.bands.map(
            (band) =>
              mine.find((group) => group._id.month === month && group._id.band === band.id)?.people ?? 0,
          );
          return {
            month,
            monthLabel: monthLabel(month),
            cells: suppressRow(counts).map((shown, index) => ({
              bandLabel: instrument.bands[index]!.label,
              shown,
              text: cellText(shown),
            })),
          };
        }),
      };
    });
}

/** Every month from `first` up to the one before `current` (both `yyyy-MM`), newest first. */
function closedMonths(first: string, current: string): string[] {
  const months: string[] = [];
  let month = DateTime.fromFormat(first, 'yyyy-MM', { zone: 'UTC' });
  const end = DateTime.fromFormat(current, 'yyyy-MM', { zone: 'UTC' });
  // A stored month that cannot be read, or a clock set back, gives no rows rather than a runaway loop.
  while (month.isValid && end.isValid && month < end && months.length < 1200) {
    months.push(month.toFormat('yyyy-MM'));
    month = month.plus({ months: 1 });
  }
  return months.reverse();
}

function monthLabel(month: string): string {
  const parsed = DateTime.fromFormat(month, 'yyyy-MM', { zone: 'UTC', locale: 'en' });
  return parsed.isValid ? parsed.toFormat('LLLL yyyy') : month;
}

/** How a shown or suppressed count reads on the page. */
export function cellText(shown: ShownCount): string {
  return shown.kind === 'count' ? String(shown.count) : `fewer than ${smallestShownGroup}`;
}
