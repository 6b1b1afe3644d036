import { amountText, type CreditTotal } from './ledger.reading';

/** Everything the SVG template draws (the view only places it), with a text alternative saying all it shows. */
export interface CreditsChart {
  width: number;
  height: number;
  titleId: string;
  descId: string;
  title: string;
  description: string;
  bars: {
    labelY: number;
    barY: number;
    barWidth: number;
    barHeight: number;
    valueX: number;
    valueY: number;
    label: string;
    value: string;
  }[];
  left: number;
  scaleLabel: string;
}

const width = 480;
const left = 8;
const right = 72;
const rowHeight = 58;
const barHeight = 22;

/**
 * A horizontal bar per credit type with credit this year (same scale for all, from zero), the type's name above
 * its bar and the amount at its end: read by eye at a glance, and in full by the title and description.
 */
export function creditsChart(totals: CreditTotal[], year: number): CreditsChart {
  const largest = Math.max(...totals.map((total) => total.total), 1);
  const plotWidth = width - left - right;
  const bars = totals.map((total, index) => {
    const top = 12 + index * rowHeight;
    const barWidth = Math.max(2, Math.round((total.total / largest) * plotWidth * 10) / 10);
    return {
      labelY: top + 14,
      barY: top + 22,
      barWidth,
      barHeight,
      valueX: left + barWidth + 8,
      valueY: top + 22 + barHeight / 2 + 5,
      label: total.label,
      value: amountText(total.total),
    };
  });
  return {
    width,
    height: 12 + totals.length * rowHeight + 8,
    titleId: 'cme-credits-title',
    descId: 'cme-credits-desc',
    title: `Your credits in ${year}, by credit type`,
    description:
      `${totals.length} credit type${totals.length === 1 ? '' : 's'}: ` +
      totals.map((total) => total.text).join('; ') +
      '. Revoked certificates are not counted.',
    bars,
    left,
    scaleLabel: amountText(largest),
  };
}
