/**
 * Small-cell suppression of feedback results, so that nobody in a group smaller than the program's
 * minimum group size (k) can be singled out. Pure: no database, no GraphQL.
 *
 * Rules:
 * - fewer than k responses in all: nothing is shown, not even the number of responses;
 * - otherwise every cell (an option's or a rating's count) from 1 to k-1 is hidden; zero is shown;
 * - a single hidden cell could be recovered by subtracting the shown cells from the shown total,
 *   so then the smallest shown non-zero cell is hidden as well (complementary suppression).
 */

export interface SuppressedCounts {
  /** Null when suppressed. */
  responseCount: number | null;
  /** True when there were fewer than k responses: nothing but the cell labels is shown. */
  suppressed: boolean;
  /** Each cell's count, or null when hidden. */
  cells: (number | null)[];
  /** True when not suppressed and every cell is shown: only then may statistics over the cells (an average) be shown, since they would otherwise give back hidden cells. */
  complete: boolean;
}

export function suppressCounts(total: number, cells: readonly number[], minimumGroupSize: number): SuppressedCounts {
  const k = minimumGroupSize;
  if (total < k) {
    return { responseCount: null, suppressed: true, cells: cells.map(() => null), complete: false };
  }
  const hidden = cells.map((c) => c >= 1 && c < k);
  if (hidden.filter(Boolean).length === 1) {
    const partner = smallestShownNonZero(cells, hidden);
    if (partner !== -1) hidden[partner] = true;
  }
  return {
    responseCount: total,
    suppressed: false,
    cells: cells.map((c, i) => (hidden[i] ? null : c)),
    complete: !hidden.some(Boolean),
  };
}

/** Index of the smallest shown cell above zero (the first of equals), or -1. */
function smallestShownNonZero(cells: readonly number[], hidden: readonly boolean[]): number {
  let best = -1;
  cells.forEach((c, i) => {
    if (!hidden[i] && c > 0 && (best === -1 || c < cells[best])) best = i;
  });
  return best;
}

/** Free-text answers are shown only when at least k people answered. */
export function textAnswersVisible(total: number, minimumGroupSize: number): boolean {
  return total >= minimumGroupSize;
}

/**
 * The number of answers to a group of polls (a session's, a community's), or null when it could
 * single someone out: fewer than k in all, or one of the polls answered by fewer than k people
 * (its own count is suppressed, and subtracting the shown counts of the other polls from this
 * total would give it back).
 */
export function suppressedTotal(answersPerPoll: readonly number[], minimumGroupSize: number): number | null {
  const total = answersPerPoll.reduce((sum, n) => sum + n, 0);
  if (total < minimumGroupSize) return null;
  return answersPerPoll.some((n) => n >= 1 && n < minimumGroupSize) ? null : total;
}
