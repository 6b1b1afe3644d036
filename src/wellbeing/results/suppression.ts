// Small-cell suppression for the admins' aggregate table (issue 10: "any cell under 10 people suppressed, including
// cells that could be worked out by subtraction from a total"). Rows are shown with their total and no column
// totals, so only the row total can be subtracted from.

/** The smallest group shown as a number. */
export const smallestShownGroup = 10;

/**
 * A cell as shown: a count; `small` (fewer than 10 people, zero included); or `hidden`, a larger count held back
 * so that a small cell beside it cannot be worked out from the row total.
 */
export type ShownCount = { kind: 'count'; count: number } | { kind: 'small' } | { kind: 'hidden' };

export interface ShownRow {
  cells: ShownCount[];
  total: ShownCount;
}

/**
 * Applies the suppression rules to one row of counts:
 * 1. a row whose total is under 10 shows nothing but "fewer than 10";
 * 2. every cell under 10 (zero too, which says "nobody") is `small`;
 * 3. while exactly one cell is held back, or the held-back cells add up to under 10 (so their sum, the total minus
 *    the shown cells, would give a small group away), the smallest shown cell is `hidden` too.
 */
export function suppressRow(counts: readonly number[], threshold = smallestShownGroup): ShownRow {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total < threshold) {
    return { cells: counts.map(() => ({ kind: 'small' })), total: { kind: 'small' } };
  }
  const cells: ShownCount[] = counts.map((count) =>
    count < threshold ? { kind: 'small' } : { kind: 'count', count },
  );
  const heldBack = () => counts.filter((_count, index) => cells[index]!.kind !== 'count');
  for (;;) {
    const held = heldBack();
    const heldSum = held.reduce((sum, count) => sum + count, 0);
    if (held.length === 0 || (held.length > 1 && heldSum >= threshold)) break;
    const shown = counts
      .map((count, index) => ({ count, index }))
      .filter(({ index }) => cells[index]!.kind === 'count')
      .sort((a, b) => a.count - b.count || a.index - b.index);
    if (!shown.length) break;
    cells[shown[0]!.index] = { kind: 'hidden' };
  }
  return { cells, total: { kind: 'count', count: total } };
}
