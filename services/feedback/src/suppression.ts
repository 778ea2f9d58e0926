/**
 * Small-cell suppression of feedback results, so that nobody in a group smaller than the program's
 * minimum group size (k) can be singled out. Pure: no database, no GraphQL.
 *
 * Rules:
 * - fewer than k responses in all: nothing is shown, not even the number of responses;
 * - otherwise, when any cell (an option's or a rating's count) is from 1 to k-1, every cell is
 *   hidden, zeros included, and only the total is shown. Hiding only the small cells (with a
 *   complementary partner) can be undone: a hidden cell is then known to be small, so the shown
 *   total pins it (12 over three hidden cells of at most 4 is 4, 4, 4), and a zero shown beside
 *   hidden cells narrows them down as well. With every cell hidden, a hidden cell may be anything;
 * - when no cell is from 1 to k-1, every cell is shown, zeros included.
 */

export interface SuppressedCounts {
  /** Null when suppressed. */
  responseCount: number | null;
  /** True when there were fewer than k responses: nothing but the cell labels is shown. */
  suppressed: boolean;
  /** Each cell's count, or null when hidden: all shown or all hidden. */
  cells: (number | null)[];
  /** True when not suppressed and every cell is shown. */
  complete: boolean;
}

export function suppressCounts(total: number, cells: readonly number[], minimumGroupSize: number): SuppressedCounts {
  const k = minimumGroupSize;
  if (total < k) {
    return { responseCount: null, suppressed: true, cells: cells.map(() => null), complete: false };
  }
  if (cells.some((c) => c >= 1 && c < k)) {
    return { responseCount: total, suppressed: false, cells: cells.map(() => null), complete: false };
  }
  return { responseCount: total, suppressed: false, cells: [...cells], complete: true };
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

