import { suppressRow } from '../../../../src/wellbeing/results/suppression';

describe('small-group suppression of the aggregate table (no totals to subtract from)', () => {
  it('when a row has a group of 9 beside a group of 12, then the 9 is "small" and the 12 shows', () => {
    expect(suppressRow([9, 12])).toEqual([{ kind: 'small' }, { kind: 'count', count: 12 }]);
  });

  it('when every cell holds 10 or more, then every count is shown', () => {
    expect(suppressRow([10, 14, 30])).toEqual([
      { kind: 'count', count: 10 },
      { kind: 'count', count: 14 },
      { kind: 'count', count: 30 },
    ]);
  });

  it('when a cell is 0, then it is "small" too: "nobody" reads like any small group', () => {
    expect(suppressRow([0, 15])).toEqual([{ kind: 'small' }, { kind: 'count', count: 15 }]);
  });

  it('when the threshold is 10, then a group of exactly 10 is shown and one of 9 is not', () => {
    expect(suppressRow([10, 9])).toEqual([{ kind: 'count', count: 10 }, { kind: 'small' }]);
  });
});
