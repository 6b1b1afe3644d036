import { suppressRow } from '../../../../src/wellbeing/results/suppression';

const kinds = (row: ReturnType<typeof suppressRow>) => row.cells.map((cell) => cell.kind);

describe('small-group suppression of the aggregate table', () => {
  it('when a row has a group of 9 beside a group of 12, then the 9 is "small" and the 12 is hidden too, so 9 cannot be worked out from the total of 21', () => {
    const row = suppressRow([9, 12]);
    expect(kinds(row)).toEqual(['small', 'hidden']);
    expect(row.total).toEqual({ kind: 'count', count: 21 });
  });

  it('when every cell holds 10 or more, then every count is shown with the row total', () => {
    const row = suppressRow([10, 14, 30]);
    expect(row.cells).toEqual([
      { kind: 'count', count: 10 },
      { kind: 'count', count: 14 },
      { kind: 'count', count: 30 },
    ]);
    expect(row.total).toEqual({ kind: 'count', count: 54 });
  });

  it('when exactly one cell is under 10, then the next-smallest cell is also held back and the larger ones stay', () => {
    expect(kinds(suppressRow([4, 25, 11]))).toEqual(['small', 'count', 'hidden']);
  });

  it('when a cell is 0, then it is "small" too: "nobody" is not shown', () => {
    expect(kinds(suppressRow([0, 15, 40]))).toEqual(['small', 'hidden', 'count']);
  });

  it('when two small cells add up to under 10, then another cell is held back so their sum cannot be subtracted out', () => {
    // Held back alone, 0 and 3 would be known to total 3 (18 − 15).
    expect(kinds(suppressRow([0, 3, 15]))).toEqual(['small', 'small', 'hidden']);
    expect(kinds(suppressRow([6, 7, 20, 30]))).toEqual(['small', 'small', 'count', 'count']);
  });

  it('when the row total is under 10, then the whole row, total included, is "fewer than 10"', () => {
    const row = suppressRow([9, 0]);
    expect(kinds(row)).toEqual(['small', 'small']);
    expect(row.total).toEqual({ kind: 'small' });
    expect(suppressRow([0, 0, 0]).total).toEqual({ kind: 'small' });
  });

  it('when the threshold is 10, then a group of exactly 10 is shown', () => {
    expect(kinds(suppressRow([10, 10]))).toEqual(['count', 'count']);
  });
});
