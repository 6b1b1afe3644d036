import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import type { Actor } from '../../shared/auth/actor';
import { ForbiddenError } from '../../shared/errors';
import { allInstruments, enabledInstrumentsFor } from '../instruments';
import { smallestShownGroup, suppressRow, type ShownCount } from './suppression';
import { WellbeingTallyModel } from './vault.models';

/** A cell as the page prints it: the count, "fewer than 10" or "not shown". */
export interface AggregateCell {
  bandLabel: string;
  shown: ShownCount;
  text: string;
}

export interface AggregateRow {
  month: string;
  monthLabel: string;
  cells: AggregateCell[];
  total: { shown: ShownCount; text: string };
}

export interface InstrumentAggregate {
  id: string;
  name: string;
  bands: { id: string; label: string }[];
  rows: AggregateRow[];
}

/**
 * The tenant's self-check aggregates for its admins: per instrument, per month (newest first), how many people's
 * latest result that month fell in each band, with small groups suppressed (suppression.ts). Read from the
 * anonymous tallies only: no result is opened and no learner is named. Instruments appear while the tenant offers
 * them or once they have tallies.
 */
export async function aggregatesFor(actor: Actor): Promise<InstrumentAggregate[]> {
  if (actor.role !== 'admin') throw new ForbiddenError();
  const grouped = await WellbeingTallyModel.aggregate<{
    _id: { instrument: string; month: string; band: string };
    people: number;
  }>([
    { $match: { tenantId: new mongoose.Types.ObjectId(actor.tenantId) } },
    {
      $group: {
        _id: { instrument: '$instrument', month: '$month', band: '$band' },
        people: { $sum: 1 },
      },
    },
  ]);
  const enabled = new Set<string>(await enabledInstrumentsFor(actor.tenantId));
  const counted = new Set(grouped.map((group) => group._id.instrument));
  return allInstruments()
    .filter((instrument) => enabled.has(instrument.id) || counted.has(instrument.id))
    .map((instrument) => {
      const mine = grouped.filter((group) => group._id.instrument === instrument.id);
      const months = [...new Set(mine.map((group) => group._id.month))].sort().reverse();
      return {
        id: instrument.id,
        name: instrument.name,
        bands: instrument.bands.map((band) => ({ id: band.id, label: band.label })),
        rows: months.map((month) => {
          const counts = instrument.bands.map(
            (band) =>
              mine.find((group) => group._id.month === month && group._id.band === band.id)?.people ?? 0,
          );
          const row = suppressRow(counts);
          return {
            month,
            monthLabel: monthLabel(month),
            cells: row.cells.map((shown, index) => ({
              bandLabel: instrument.bands[index]!.label,
              shown,
              text: cellText(shown),
            })),
            total: { shown: row.total, text: cellText(row.total) },
          };
        }),
      };
    });
}

function monthLabel(month: string): string {
  const parsed = DateTime.fromFormat(month, 'yyyy-MM', { zone: 'UTC', locale: 'en' });
  return parsed.isValid ? parsed.toFormat('LLLL yyyy') : month;
}

/** How a suppressed or shown count reads on the page. */
export function cellText(shown: ShownCount): string {
  if (shown.kind === 'count') return String(shown.count);
  return shown.kind === 'small' ? `fewer than ${smallestShownGroup}` : 'not shown';
}
