import { getInstrument } from '../../../../src/wellbeing/instruments';
import { trendChart } from '../../../../src/wellbeing/results/trend.chart';

describe('the trend chart', () => {
  const phq2 = getInstrument('phq-2');
  const retakes = [
    {
      total: 4,
      dateLabel: '3 Mar 2025, 9:00 AM',
      axisLabel: '3 Mar 2025',
      bandLabel: 'At or above the screening cut-off (3 to 6)',
    },
    {
      total: 2,
      dateLabel: '17 Mar 2025, 9:00 AM',
      axisLabel: '17 Mar 2025',
      bandLabel: 'Below the screening cut-off (0 to 2)',
    },
    {
      total: 0,
      dateLabel: '31 Mar 2025, 9:00 AM',
      axisLabel: '31 Mar 2025',
      bandLabel: 'Below the screening cut-off (0 to 2)',
    },
  ];

  it('when three retakes are drawn, then higher scores sit higher, oldest on the left, with a dashed line at the cut-off', () => {
    const chart = trendChart(phq2, retakes);
    const [first, second, third] = chart.points;
    expect(first!.x).toBeLessThan(second!.x);
    expect(second!.x).toBeLessThan(third!.x);
    expect(first!.y).toBeLessThan(second!.y);
    expect(third!.y).toBe(chart.baseline);
    expect(chart.thresholds.map((line) => line.label)).toEqual(['3+']);
    expect(chart.line.split(' ')).toHaveLength(3);
    expect(chart.points.map((point) => point.anchor)).toEqual(['start', 'middle', 'end']);
  });

  it('when the chart is read by a screen reader, then its description lists every score, date and range, oldest first', () => {
    const chart = trendChart(phq2, retakes);
    expect(chart.description).toBe(
      '3 results on a scale from 0 to 6, oldest first: 4 on 3 Mar 2025, 9:00 AM (At or above the screening cut-off (3 to 6)); ' +
        '2 on 17 Mar 2025, 9:00 AM (Below the screening cut-off (0 to 2)); 0 on 31 Mar 2025, 9:00 AM (Below the screening cut-off (0 to 2)). Latest: 0.',
    );
  });

  it('when there is one result, then its point sits in the middle', () => {
    const chart = trendChart(phq2, retakes.slice(0, 1));
    expect(chart.points[0]!.x).toBeCloseTo((chart.left + chart.right) / 2, 0);
  });
});
