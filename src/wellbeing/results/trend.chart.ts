import type { Instrument } from '../instruments';

/** One retake on the chart, in the order taken. */
export interface TrendPoint {
  total: number;
  /** The date as the learner reads it (their tenant's zone). */
  dateLabel: string;
  /** The same date, short, for the horizontal axis. */
  axisLabel: string;
  bandLabel: string;
}

/** Everything the SVG template draws, computed here so the view only places it. */
export interface TrendChart {
  width: number;
  height: number;
  titleId: string;
  descId: string;
  title: string;
  description: string;
  line: string;
  points: {
    x: number;
    y: number;
    total: number;
    axisLabel: string;
    showLabel: boolean;
    /** Where the axis label hangs from its point, so the first and last stay inside the picture. */
    anchor: 'start' | 'middle' | 'end';
  }[];
  gridLines: { y: number; label: string }[];
  thresholds: { y: number; label: string }[];
  baseline: number;
  left: number;
  right: number;
}

const width = 640;
const height = 260;
const margin = { top: 16, right: 24, bottom: 48, left: 48 };

/**
 * Geometry of a learner's trend for one instrument: a line through their totals in the order taken, the range of
 * the instrument on the vertical axis, a dashed line where each band starts, and a text alternative (title +
 * description) that says everything the picture shows.
 */
export function trendChart(instrument: Instrument, retakes: TrendPoint[]): TrendChart {
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const range = instrument.maxTotal - instrument.minTotal;
  const yOf = (value: number) => margin.top + ((instrument.maxTotal - value) / range) * plotHeight;
  const xOf = (index: number) =>
    retakes.length === 1
      ? margin.left + plotWidth / 2
      : margin.left + (index / (retakes.length - 1)) * plotWidth;
  const every = Math.max(1, Math.ceil(retakes.length / 6));
  const points = retakes.map((retake, index) => ({
    x: round(xOf(index)),
    y: round(yOf(retake.total)),
    total: retake.total,
    axisLabel: retake.axisLabel,
    showLabel: index % every === 0 || index === retakes.length - 1,
    anchor: anchorOf(index, retakes.length),
  }));
  const gridLines = [instrument.minTotal, instrument.maxTotal].map((value) => ({
    y: round(yOf(value)),
    label: String(value),
  }));
  const thresholds = instrument.bands.slice(1).map((band) => ({
    y: round(yOf(band.min - 0.5)),
    label: `${band.min}+`,
  }));
  const scores = retakes.map((retake) => `${retake.total} on ${retake.dateLabel} (${retake.bandLabel})`);
  const latest = retakes.at(-1);
  return {
    width,
    height,
    titleId: `trend-${instrument.id}-title`,
    descId: `trend-${instrument.id}-desc`,
    title: `${instrument.name}: your scores over time`,
    description:
      `${retakes.length} result${retakes.length === 1 ? '' : 's'} on a scale from ${instrument.minTotal} to ${instrument.maxTotal}, oldest first: ` +
      `${scores.join('; ')}.` +
      (latest ? ` Latest: ${latest.total}.` : ''),
    line: points.map((point) => `${point.x},${point.y}`).join(' '),
    points,
    gridLines,
    thresholds,
    baseline: height - margin.bottom,
    left: margin.left,
    right: width - margin.right,
  };
}

function anchorOf(index: number, count: number): 'start' | 'middle' | 'end' {
  if (count === 1) return 'middle';
  if (index === 0) return 'start';
  return index === count - 1 ? 'end' : 'middle';
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
