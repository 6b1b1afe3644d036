import type { CreditType } from '../core';
import { formatCredits } from '../claims';

/**
 * Geometry of the report's chart (credits per month, by credit type), computed here so the view only places it
 * (the approach of src/wellbeing/results/trend.chart.ts). Horizontal bars grouped by month: each bar carries its
 * credit type's name and its value as text, so nothing is told by colour alone, and the title and description
 * say everything the picture shows (the table under it repeats the figures).
 */

/** Credits of one credit type in one month. */
export interface MonthTypeCredits {
  /** `YYYY-MM` (the tenant-local completion date's month). */
  month: string;
  monthLabel: string;
  creditType: CreditType;
  credits: number;
}

export interface CreditsChart {
  width: number;
  height: number;
  titleId: string;
  descId: string;
  title: string;
  description: string;
  /** Each month's heading, then its bars. */
  months: Array<{ label: string; y: number }>;
  bars: Array<{
    typeLabel: string;
    value: string;
    y: number;
    textY: number;
    barWidth: number;
    valueX: number;
    fill: string;
  }>;
  labelX: number;
  barX: number;
  barHeight: number;
  /** The value scale's end, drawn as a thin line under the last bar. */
  axis: { y: number; left: number; right: number; maximum: string };
}

// Narrow on purpose: at 320 px the picture scales down the least, and its text stays readable.
const width = 480;
const margin = { top: 8, right: 48, bottom: 28, left: 4 };
const labelWidth = 150;
const monthRow = 30;
const barRow = 26;
const barHeight = 18;

/** Short names that fit beside a bar; the description and the table use the full ones. */
const shortLabels: Record<CreditType, string> = {
  'ama-pra-1': 'AMA PRA Category 1',
  ancc: 'ANCC hours',
  acpe: 'ACPE hours',
  ipce: 'IPCE credit',
  participation: 'Participation',
};

/** One fill per credit type, each with at least 3:1 contrast on white (WCAG 1.4.11); the text label is what tells them apart. */
const fills: Record<CreditType, string> = {
  'ama-pra-1': '#0b5cad',
  ancc: '#1e7b34',
  acpe: '#8a4b00',
  ipce: '#6b3fa0',
  participation: '#4a5565',
};

/**
 * The chart of `cells` (months in order; within a month, credit types in `creditTypes` order). Months without
 * credits are left out of the picture; `fullLabels` names the credit types in the description.
 */
export function creditsChart(
  cells: MonthTypeCredits[],
  fullLabels: Record<CreditType, string>,
): CreditsChart {
  const plotWidth = width - margin.left - margin.right - labelWidth;
  const maximum = Math.max(...cells.map((cell) => cell.credits), 0);
  const months: CreditsChart['months'] = [];
  const bars: CreditsChart['bars'] = [];
  const described: string[] = [];
  let y = margin.top;
  let currentMonth = '';
  for (const cell of cells) {
    if (cell.month !== currentMonth) {
      currentMonth = cell.month;
      months.push({ label: cell.monthLabel, y: y + 20 });
      described.push(`${cell.monthLabel}:`);
      y += monthRow;
    }
    const barWidth = maximum === 0 ? 0 : Math.max(2, (cell.credits / maximum) * plotWidth);
    bars.push({
      typeLabel: shortLabels[cell.creditType],
      value: formatCredits(cell.credits),
      y,
      textY: y + 14,
      barWidth: round(barWidth),
      valueX: round(margin.left + labelWidth + barWidth + 6),
      fill: fills[cell.creditType],
    });
    described[described.length - 1] += ` ${fullLabels[cell.creditType]} ${formatCredits(cell.credits)};`;
    y += barRow;
  }
  const monthCount = months.length;
  return {
    width,
    height: y + margin.bottom,
    titleId: 'credits-chart-title',
    descId: 'credits-chart-desc',
    title: 'Credits claimed per month, by credit type',
    description:
      monthCount === 0
        ? 'No credits were claimed in this range.'
        : `${monthCount} month${monthCount === 1 ? '' : 's'} with credits, oldest first. ` +
          described.map((line) => line.replace(/;$/, '.')).join(' '),
    months,
    bars,
    labelX: margin.left,
    barX: margin.left + labelWidth,
    barHeight,
    axis: {
      y: y + 4,
      left: margin.left + labelWidth,
      right: margin.left + labelWidth + plotWidth,
      maximum: formatCredits(maximum),
    },
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
