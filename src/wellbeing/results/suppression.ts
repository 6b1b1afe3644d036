// Small-cell suppression for the admins' aggregate table (issue 10: "any cell under 10 people suppressed, including
// cells that could be worked out by subtraction from a total"). The table shows no totals, neither per row nor per
// column: with nothing to subtract from, a suppressed cell cannot be worked out, and every suppressed cell truly is
// "fewer than 10". (Holding back a larger neighbour instead, beside a row total, tells a reader that the neighbour
// is 10 or more, which can pin the small cell exactly: [0, 10] would read "fewer than 10 | held back | 10".)

/** The smallest group shown as a number. */
export const smallestShownGroup = 10;

/** A cell as shown: a count of 10 or more, or `small` (fewer than 10 people, zero included). */
export type ShownCount = { kind: 'count'; count: number } | { kind: 'small' };

/** One row of counts as shown: each count of 10 or more as it is, every other (zero too) as `small`. */
export function suppressRow(counts: readonly number[], threshold = smallestShownGroup): ShownCount[] {
  return counts.map((count) => (count < threshold ? { kind: 'small' } : { kind: 'count', count }));
}
