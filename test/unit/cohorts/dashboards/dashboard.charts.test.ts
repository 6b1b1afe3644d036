import { attendanceChart, ratingsChart } from '../../../../src/cohorts/dashboards';

const occurrence = (axisLabel: string, present: number, recorded: number) => ({
  axisLabel,
  dateLabel: `${axisLabel} 2026, 18:00`,
  title: 'Weekly circle',
  present,
  recorded,
});

describe('attendance chart', () => {
  it('when sessions were held, then each is a point at its rate and the description reads every figure', () => {
    const chart = attendanceChart([
      occurrence('3 Mar', 3, 4),
      occurrence('10 Mar', 4, 4),
      occurrence('17 Mar', 0, 4),
    ]);
    expect(chart.points.map((point) => point.percent)).toEqual([75, 100, 0]);
    // 100 % at the top of the plot, 0 % on its baseline.
    expect(chart.points[1]!.y).toBe(chart.gridLines.find((line) => line.label === '100 %')!.y);
    expect(chart.points[2]!.y).toBe(chart.baseline);
    expect(chart.points.map((point) => point.anchor)).toEqual(['start', 'middle', 'end']);
    expect(chart.description).toContain('Weekly circle on 3 Mar 2026, 18:00: 75 % (3 of 4)');
    expect(chart.description).toContain('3 sessions with attendance taken');
  });

  it('when there are many sessions, then about six dates label the axis and the last is always labelled', () => {
    const chart = attendanceChart(
      Array.from({ length: 12 }, (_, index) => occurrence(`${index + 1} Apr`, 1, 2)),
    );
    const labelled = chart.points.filter((point) => point.showLabel);
    expect(labelled.length).toBeLessThanOrEqual(7);
    expect(chart.points.at(-1)!.showLabel).toBe(true);
  });

  it('when nothing was recorded, then the description says so', () => {
    expect(attendanceChart([]).description).toBe('No attendance recorded yet.');
  });
});

describe('ratings chart', () => {
  it('when sessions were rated, then one bar per score from 5 down, the longest for the most given', () => {
    const chart = ratingsChart([0, 1, 2, 6, 3]);
    expect(chart.bars.map((bar) => bar.label)).toEqual(['5 of 5', '4 of 5', '3 of 5', '2 of 5', '1 of 5']);
    expect(chart.bars.map((bar) => bar.count)).toEqual([3, 6, 2, 1, 0]);
    expect(Math.max(...chart.bars.map((bar) => bar.barWidth))).toBe(chart.bars[1]!.barWidth);
    expect(chart.bars[4]!.barWidth).toBe(0);
    expect(chart.description).toBe(
      '12 ratings: 3 rated 5 of 5, 6 rated 4 of 5, 2 rated 3 of 5, 1 rated 2 of 5, 0 rated 1 of 5.',
    );
  });
});
