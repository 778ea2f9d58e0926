import { Field, Float, Int, ObjectType } from 'type-graphql';
import { buildResults, type ResponseCell } from './poll-results';
import { resultsWithheld } from './poll-state';
import { Poll, PollStatus } from './poll.entity';
import { OrganisationRef } from './refs';

/*
 * Check-in trends, confidence change and outcome summaries: aggregates over several polls, built
 * so that none of them shows anything the suppression rules (suppression.ts) would withhold.
 * Pure: no database, no GraphQL resolvers.
 */

const round2 = (n: number) => Math.round(n * 100) / 100;

@ObjectType({ description: 'One check-in poll in a trend: when it was asked and its results, suppressed exactly as the poll\'s own results are.' })
export class CheckInTrendPoint {
  @Field(() => Poll)
  poll: Poll;

  @Field({ description: 'When the poll was asked (created).' })
  askedAt: Date;

  @Field(() => PollStatus)
  status: PollStatus;

  @Field({ description: 'True when fewer people than the minimum group size answered (or an AFTER_CLOSE poll has not closed): no figures are shown.' })
  suppressed: boolean;

  @Field(() => Int, { nullable: true, description: 'Null when suppressed.' })
  responseCount: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean rating (RATING check-ins), rounded to 2 decimals; null when suppressed or when a rating was given by fewer than the minimum group size (a mean can pin the counts).' })
  averageRating: number | null;
}

/** The points of a trend, in the order of `polls` (oldest first), each from that poll's results. */
export function buildTrend(polls: readonly Poll[], cells: readonly (readonly ResponseCell[])[], k: number): CheckInTrendPoint[] {
  return polls.map((poll, i) => {
    const results = buildResults(poll, resultsWithheld(poll) ? [] : cells[i], k);
    return Object.assign(new CheckInTrendPoint(), {
      poll,
      askedAt: poll.createdAt,
      status: poll.status,
      suppressed: results.suppressed,
      responseCount: results.responseCount,
      averageRating: results.averageRating,
    });
  });
}

@ObjectType({
  description:
    'How confidence changed, over the people who answered both before and after (paired by their anonymous pairing code). ' +
    'Answers given only before or only after are left out.',
})
export class ConfidenceChange {
  @Field(() => Int, { description: 'People who answered both polls.' })
  pairedCount: number;

  @Field(() => Float, { description: 'Their mean rating before, rounded to 2 decimals.' })
  averageBefore: number;

  @Field(() => Float, { description: 'Their mean rating after, rounded to 2 decimals.' })
  averageAfter: number;

  @Field(() => Float, { description: 'The mean of each person\'s after minus before, rounded to 2 decimals.' })
  averageChange: number;

  @Field(() => Float, { description: 'The share (0 to 1, rounded to 2 decimals) of them whose rating went up.' })
  improvedShare: number;
}

export interface PairFigures {
  paired: number;
  sumBefore: number;
  sumAfter: number;
  improved: number;
}

/**
 * The change over the pairs, or null when it could single someone out:
 * - fewer pairs than k (the program's minimum group size);
 * - either poll's results withheld for now (an AFTER_CLOSE poll not yet closed);
 * - either poll answered by 1 to k-1 people who did not pair up while that poll's own results
 *   show its mean: the poll's sum minus the pairs' sum would give their ratings (one person who
 *   answered before but left before the after poll would be given away).
 */
export function buildChange(
  figures: PairFigures | null,
  polls: { before: Poll; after: Poll },
  cells: { before: readonly ResponseCell[]; after: readonly ResponseCell[] },
  k: number,
): ConfidenceChange | null {
  const paired = figures?.paired ?? 0;
  if (!figures || paired < k) return null;
  if (resultsWithheld(polls.before) || resultsWithheld(polls.after)) return null;
  for (const side of ['before', 'after'] as const) {
    const total = cells[side].reduce((s, c) => s + c.count, 0);
    const unpaired = total - paired;
    const meanShown = buildResults(polls[side], cells[side], k).averageRating !== null;
    if (unpaired >= 1 && unpaired < k && meanShown) return null;
  }
  return Object.assign(new ConfidenceChange(), {
    pairedCount: paired,
    averageBefore: round2(figures.sumBefore / paired),
    averageAfter: round2(figures.sumAfter / paired),
    averageChange: round2((figures.sumAfter - figures.sumBefore) / paired),
    improvedShare: round2(figures.improved / paired),
  });
}

@ObjectType({
  description:
    'Outcome ratings (OUTCOME polls, 1 to 5) of one organisation in a program. Only polls whose own results show their mean are combined ' +
    '(answered by at least the minimum group size, no rating given by fewer than that, closed if AFTER_CLOSE), so the summary shows nothing ' +
    'the polls\' own results do not, and no difference of two summaries isolates a small group.',
})
export class OutcomeSummary {
  @Field(() => OrganisationRef, { nullable: true, description: 'The organisation that ran the polls.' })
  organisation: OrganisationRef;

  @Field(() => Int, { description: 'OUTCOME polls it ran in the program.' })
  pollCount: number;

  @Field(() => Int, { description: 'Of them, those combined here (whose results show their mean).' })
  reportedPollCount: number;

  @Field(() => Int, { description: 'Answers to the combined polls.' })
  responseCount: number;

  @Field(() => Float, { nullable: true, description: 'Mean rating over the combined polls\' answers, rounded to 2 decimals; null when no poll is combined.' })
  averageRating: number | null;
}

/** One summary per organisation (by organisation ID) from its OUTCOME polls and their response cells. */
export function buildOutcomeSummaries(polls: readonly Poll[], cells: readonly (readonly ResponseCell[])[], k: number): OutcomeSummary[] {
  const byOrg = new Map<string, { polls: number; reported: number; answers: number; sum: number }>();
  polls.forEach((poll, i) => {
    const acc = byOrg.get(poll.organisationId) ?? { polls: 0, reported: 0, answers: 0, sum: 0 };
    acc.polls += 1;
    const results = buildResults(poll, resultsWithheld(poll) ? [] : cells[i], k);
    if (results.averageRating !== null && results.responseCount) {
      acc.reported += 1;
      const n = cells[i].reduce((s, c) => s + c.count, 0);
      acc.answers += n;
      acc.sum += cells[i].reduce((s, c) => s + (c.rating ?? 0) * c.count, 0);
    }
    byOrg.set(poll.organisationId, acc);
  });
  return [...byOrg]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, acc]) =>
      Object.assign(new OutcomeSummary(), {
        organisation: Object.assign(new OrganisationRef(), { id }),
        pollCount: acc.polls,
        reportedPollCount: acc.reported,
        responseCount: acc.answers,
        averageRating: acc.answers ? round2(acc.sum / acc.answers) : null,
      }),
    );
}
