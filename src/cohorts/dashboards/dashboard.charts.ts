/**
 * Geometry of the cohort health charts, computed here so the views only place it (the approach of
 * src/wellbeing/results/trend.chart.ts). Each chart carries a title and a description that say everything the
 * picture shows, and the page repeats the figures in a table.
 */

/** One held session occurrence and how many of those expected came. */
export interface AttendancePoint {
  /** "Tue 3 Mar" in the cohort's zone, for the axis. */
  axisLabel: string;
  /** "Tuesday 3 March 2026, 18:00" in the cohort's zone, for the description. */
  dateLabel: string;
  title: string;
  present: number;
  recorded: number;
}

export interface AttendanceChart {
  width: number;
  height: number;
  titleId: string;
  descId: string;
  title: string;
  description: string;
  line: string;
  points: Array<{
    x: number;
    y: number;
    percent: number;
    axisLabel: string;
    showLabel: boolean;
    anchor: 'start' | 'middle' | 'end';
  }>;
  gridLines: Array<{ y: number; label: string }>;
  baseline: number;
  left: number;
  right: number;
}

const width = 640;
const height = 260;
const margin = { top: 24, right: 28, bottom: 48, left: 52 };

/** The share of those recorded who were present, as a whole percentage (0 when nobody was recorded). */
export function attendancePercent(point: Pick<AttendancePoint, 'present' | 'recorded'>): number {
  return point.recorded === 0 ? 0 : Math.round((point.present / point.recorded) * 100);
}

/**
 * Attendance rate per session occurrence over time, oldest first: a line from 0 % to 100 % with a point (and its
 * value) per occurrence, and the dates under it (thinned to about six so they never overlap).
 */
export function attendanceChart(occurrences: AttendancePoint[]): AttendanceChart {
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const yOf = (percent: number) => margin.top + ((100 - percent) / 100) * plotHeight;
  const xOf = (index: number) =>
    occurrences.length === 1
      ? margin.left + plotWidth / 2
      : margin.left + (index / (occurrences.length - 1)) * plotWidth;
  const every = Math.max(1, Math.ceil(occurrences.length / 6));
  const points = occurrences.map((occurrence, index) => {
    const percent = attendancePercent(occurrence);
    return {
      x: round(xOf(index)),
      y: round(yOf(percent)),
      percent,
      axisLabel: occurrence.axisLabel,
      showLabel: index % every === 0 || index === occurrences.length - 1,
      anchor: anchorOf(index, occurrences.length),
    };
  });
  const described = occurrences.map(
    (occurrence) =>
      `${occurrence.title} on ${occurrence.dateLabel}: ${attendancePercent(occurrence)} % (${occurrence.present} of ${occurrence.recorded})`,
  );
  return {
    width,
    height,
    titleId: 'attendance-chart-title',
    descId: 'attendance-chart-desc',
    title: 'Attendance rate per session, oldest first',
    description:
      occurrences.length === 0
        ? 'No attendance recorded yet.'
        : `${occurrences.length} session${occurrences.length === 1 ? '' : 's'} with attendance taken, on a scale from 0 to 100 percent: ${described.join('; ')}.`,
    line: points.map((point) => `${point.x},${point.y}`).join(' '),
    points,
    gridLines: [0, 50, 100].map((percent) => ({ y: round(yOf(percent)), label: `${percent} %` })),
    baseline: height - margin.bottom,
    left: margin.left,
    right: width - margin.right,
  };
}

/** How many ratings gave each score, 1 to 5. */
export type RatingDistribution = [number, number, number, number, number];

export interface RatingsChart {
  width: number;
  height: number;
  titleId: string;
  descId: string;
  title: string;
  description: string;
  /** One bar per score, 5 at the top. */
  bars: Array<{ label: string; count: number; y: number; barWidth: number; valueX: number; textY: number }>;
  labelX: number;
  barX: number;
  barHeight: number;
}

const ratingsWidth = 360;
const rowHeight = 40;
const ratingsLabelWidth = 96;

/** All ratings of the cohort's sessions as horizontal bars, one per score from 5 down to 1, with the counts. */
export function ratingsChart(distribution: RatingDistribution): RatingsChart {
  const most = Math.max(1, ...distribution);
  const usable = ratingsWidth - ratingsLabelWidth - 64;
  const total = distribution.reduce((sum, count) => sum + count, 0);
  const bars = [5, 4, 3, 2, 1].map((score, row) => {
    const count = distribution[score - 1]!;
    const barWidth = round((count / most) * usable);
    return {
      label: `${score} of 5`,
      count,
      y: row * rowHeight + 8,
      barWidth,
      valueX: ratingsLabelWidth + barWidth + 8,
      textY: row * rowHeight + 8 + 20,
    };
  });
  return {
    width: ratingsWidth,
    height: 5 * rowHeight + 8,
    titleId: 'ratings-chart-title',
    descId: 'ratings-chart-desc',
    title: 'How attendees rated the sessions',
    description:
      total === 0
        ? 'No ratings yet.'
        : `${total} rating${total === 1 ? '' : 's'}: ${bars.map((bar) => `${bar.count} rated ${bar.label}`).join(', ')}.`,
    bars,
    labelX: 0,
    barX: ratingsLabelWidth,
    barHeight: 24,
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
