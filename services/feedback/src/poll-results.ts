import { PollAnswerType, RATING_MAX, RATING_MIN, type Poll } from './poll.entity';
import { PollOptionResult, PollRatingResult, PollResults } from './poll-results.type';
import { suppressCounts, textAnswersVisible } from './suppression';

/** One GROUP BY row of a poll's responses (see loaders.ts). */
export interface ResponseCell {
  pollId: string;
  choice: number | null;
  rating: number | null;
  count: number;
}

const RATINGS = Array.from({ length: RATING_MAX - RATING_MIN + 1 }, (_, i) => RATING_MIN + i);

/** The results a client may see for a poll, from its grouped response counts and the program's minimum group size `k`. */
export function buildResults(poll: Poll, rows: readonly ResponseCell[], k: number): PollResults {
  const total = rows.reduce((sum, r) => sum + r.count, 0);
  const results = Object.assign(new PollResults(), {
    pollId: poll.id,
    minimumGroupSize: k,
    options: [] as PollOptionResult[],
    ratingDistribution: [] as PollRatingResult[],
    averageRating: null as number | null,
    showText: poll.answerType === PollAnswerType.TEXT && textAnswersVisible(total, k),
  });

  if (poll.answerType === PollAnswerType.CHOICE) {
    const labels = poll.options ?? [];
    const raw = labels.map((_, i) => rows.filter((r) => r.choice === i).reduce((s, r) => s + r.count, 0));
    const shown = suppressCounts(total, raw, k);
    results.options = labels.map((label, i) => Object.assign(new PollOptionResult(), { label, count: shown.cells[i] }));
    return Object.assign(results, { responseCount: shown.responseCount, suppressed: shown.suppressed });
  }

  if (poll.answerType === PollAnswerType.RATING) {
    const raw = RATINGS.map((rating) => rows.filter((r) => r.rating === rating).reduce((s, r) => s + r.count, 0));
    const shown = suppressCounts(total, raw, k);
    results.ratingDistribution = RATINGS.map((rating, i) => Object.assign(new PollRatingResult(), { rating, count: shown.cells[i] }));
    // the mean of k or more answers, even with the counts withheld: it is the figure programs
    // report. Near the ends of the scale it can tell how many gave a lower rating (12 answers
    // averaging 4.92 are eleven 5s and one 4), never who (docs/access.md "Anonymous feedback")
    if (!shown.suppressed && total > 0) {
      const sum = RATINGS.reduce((s, rating, i) => s + rating * raw[i], 0);
      results.averageRating = Math.round((sum / total) * 100) / 100;
    }
    return Object.assign(results, { responseCount: shown.responseCount, suppressed: shown.suppressed });
  }

  const shown = suppressCounts(total, [], k);
  return Object.assign(results, { responseCount: shown.responseCount, suppressed: shown.suppressed });
}
