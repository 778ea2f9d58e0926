import { countEach, loaderById, loaderGrouped, paginateEach } from '@hub/core';
import { In, type EntityManager } from 'typeorm';
import { Poll, type PollKind } from './poll.entity';
import { POLL_ORDER } from './poll-order';
import { PollResponse } from './poll-response.entity';
import type { ResponseCell } from './poll-results';

/** Poll columns that name what a poll belongs to; only these are ever put into SQL text. */
export type PollOwnerColumn = 'session_id' | 'community_id' | 'organisation_id' | 'program_id';

export interface PollsOfOwner {
  kind: PollKind | null;
}

export interface ResponseCountFilter {
  /** First UTC day counted, YYYY-MM-DD. */
  fromDay?: string | null;
  /** First UTC day no longer counted. */
  toDay?: string | null;
  programId?: string | null;
  organisationId?: string | null;
}

/** Polls of each owner, optionally of one kind; counted and paged from the same rows. */
function pollsBy(ds: EntityManager, column: PollOwnerColumn) {
  return {
    parent: `poll.${column}`,
    query: (ids: string[], filter: PollsOfOwner) => {
      const qb = ds.getRepository(Poll).createQueryBuilder('poll').where(`poll.${column} IN (:...ids)`, { ids });
      if (filter.kind) qb.andWhere('poll.kind = :kind', { kind: filter.kind });
      return qb;
    },
  };
}

/** Each owner's polls newest first, with their count. */
function pollPages(ds: EntityManager, column: PollOwnerColumn) {
  const polls = pollsBy(ds, column);
  const count = countEach(polls);
  return paginateEach<PollsOfOwner, Poll>({
    ...polls,
    order: POLL_ORDER,
    count: (id, filter) => count.load({ id, filter }),
  });
}

/** Responses to each owner's polls, optionally within days and one program or organisation. */
function responsesBy(ds: EntityManager, column: PollOwnerColumn) {
  return {
    parent: `p.${column}`,
    query: (ids: string[], filter: ResponseCountFilter) => {
      const qb = ds.getRepository(PollResponse).createQueryBuilder('r').innerJoin(Poll, 'p', 'p.id = r.poll_id').where(`p.${column} IN (:...ids)`, { ids });
      if (filter.programId) qb.andWhere('p.program_id = :programId', { programId: filter.programId });
      if (filter.organisationId) qb.andWhere('p.organisation_id = :organisationId', { organisationId: filter.organisationId });
      if (filter.fromDay) qb.andWhere('r.submitted_on >= :fromDay', { fromDay: filter.fromDay });
      if (filter.toDay) qb.andWhere('r.submitted_on < :toDay', { toDay: filter.toDay });
      return qb;
    },
  };
}

/** Per-request loaders of the feedback subgraph: one query per relation or aggregate per request. */
export function createFeedbackLoaders(ds: EntityManager) {
  return {
    poll: loaderById((ids: readonly string[]) => ds.getRepository(Poll).findBy({ id: In([...ids]) }), (p) => p.id),
    /** Response counts per poll and answer, for results. */
    responseCells: loaderGrouped(
      async (ids: readonly string[]): Promise<ResponseCell[]> => {
        const rows: { poll_id: string; choice: number | null; rating: number | null; n: number }[] = await ds.query(
          `SELECT poll_id, choice, rating, count(*)::int AS n FROM response WHERE poll_id = ANY($1::text[]) GROUP BY poll_id, choice, rating`,
          [[...ids]],
        );
        return rows.map((r) => ({ pollId: r.poll_id, choice: r.choice, rating: r.rating, count: r.n }));
      },
      (c) => c.pollId,
    ),
    /** Free-text answers in a random but stable order (by their random ids), never in answer order. */
    textAnswers: loaderGrouped(
      async (ids: readonly string[]): Promise<{ pollId: string; text: string }[]> => {
        const rows: { poll_id: string; text: string }[] = await ds.query(
          `SELECT poll_id, text FROM response WHERE poll_id = ANY($1::text[]) AND text IS NOT NULL ORDER BY poll_id, id`,
          [[...ids]],
        );
        return rows.map((r) => ({ pollId: r.poll_id, text: r.text }));
      },
      (t) => t.pollId,
    ),
    pollsOfSession: pollPages(ds, 'session_id'),
    pollsOfCommunity: pollPages(ds, 'community_id'),
    pollCountByOrganisation: countEach(pollsBy(ds, 'organisation_id')),
    pollCountByProgram: countEach(pollsBy(ds, 'program_id')),
    responseCountBySession: countEach(responsesBy(ds, 'session_id')),
    responseCountByCommunity: countEach(responsesBy(ds, 'community_id')),
    responseCountByOrganisation: countEach(responsesBy(ds, 'organisation_id')),
    responseCountByProgram: countEach(responsesBy(ds, 'program_id')),
  };
}

export type FeedbackLoaders = ReturnType<typeof createFeedbackLoaders>;
