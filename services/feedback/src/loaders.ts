import { countEach, loaderById, loaderGrouped, mayRead, ownerOf, paginateEach, type AccessScope } from '@hub/core';
import { In, type EntityManager, type SelectQueryBuilder } from 'typeorm';
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

/**
 * The organisations whose polls the caller may read (the tenant wall), or null for the system
 * scope, which reads everything. Every query of polls and responses keeps within it, in code as
 * well as through row-level security.
 */
export function wallOf(scope: AccessScope): string[] | null {
  return scope.role === 'system' ? null : scope.organisations;
}

/** Keeps a query of polls (aliased `alias`) within the caller's wall. */
export function withinWall<T extends object>(qb: SelectQueryBuilder<T>, alias: string, scope: AccessScope): SelectQueryBuilder<T> {
  const wall = wallOf(scope);
  return wall ? qb.andWhere(`${alias}.organisation_id = ANY(CAST(:wall AS text[]))`, { wall }) : qb;
}

/** Polls of each owner within the wall, optionally of one kind; counted and paged from the same rows. */
function pollsBy(ds: EntityManager, scope: AccessScope, column: PollOwnerColumn) {
  return {
    parent: `poll.${column}`,
    query: (ids: string[], filter: PollsOfOwner) => {
      const qb = withinWall(ds.getRepository(Poll).createQueryBuilder('poll').where(`poll.${column} IN (:...ids)`, { ids }), 'poll', scope);
      if (filter.kind) qb.andWhere('poll.kind = :kind', { kind: filter.kind });
      return qb;
    },
  };
}

/** Each owner's polls newest first, with their count. */
function pollPages(ds: EntityManager, scope: AccessScope, column: PollOwnerColumn) {
  const polls = pollsBy(ds, scope, column);
  const count = countEach(polls);
  return paginateEach<PollsOfOwner, Poll>({
    ...polls,
    query: (ids, filter) => polls.query(ids, filter),
    order: POLL_ORDER,
    count: (id, filter) => count.load({ id, filter }),
  });
}

/** Responses to each owner's polls within the wall, optionally within days and one program or organisation. */
function responsesBy(ds: EntityManager, scope: AccessScope, column: PollOwnerColumn) {
  return {
    parent: `p.${column}`,
    query: (ids: string[], filter: ResponseCountFilter) => {
      const qb = withinWall(
        ds.getRepository(PollResponse).createQueryBuilder('r').innerJoin(Poll, 'p', 'p.id = r.poll_id').where(`p.${column} IN (:...ids)`, { ids }),
        'p',
        scope,
      );
      if (filter.programId) qb.andWhere('p.program_id = :programId', { programId: filter.programId });
      if (filter.organisationId) qb.andWhere('p.organisation_id = :organisationId', { organisationId: filter.organisationId });
      if (filter.fromDay) qb.andWhere('r.submitted_on >= :fromDay', { fromDay: filter.fromDay });
      if (filter.toDay) qb.andWhere('r.submitted_on < :toDay', { toDay: filter.toDay });
      return qb;
    },
  };
}

/** How many answered each poll of a session or community (within the wall), per poll: for small-group suppression of their totals. */
export interface PollAnswerCount {
  parent: string;
  count: number;
}

function answersPerPollBy(ds: EntityManager, scope: AccessScope, column: 'session_id' | 'community_id') {
  return loaderGrouped(
    async (ids: readonly string[]): Promise<PollAnswerCount[]> => {
      const wall = wallOf(scope);
      const rows: { parent: string; n: number }[] = await ds.query(
        `SELECT p.${column} AS parent, count(*)::int AS n FROM poll p JOIN response r ON r.poll_id = p.id
         WHERE p.${column} = ANY($1::text[])${wall ? ' AND p.organisation_id = ANY($2::text[])' : ''} GROUP BY p.${column}, p.id`,
        wall ? [[...ids], wall] : [[...ids]],
      );
      return rows.map((r) => ({ parent: r.parent, count: r.n }));
    },
    (c) => c.parent,
  );
}

/**
 * Per-request loaders of the feedback subgraph: one query per relation or aggregate per request,
 * each within the caller's wall (polls outside it are as if absent).
 */
export function createFeedbackLoaders(ds: EntityManager, scope: AccessScope) {
  return {
    poll: loaderById(async (ids: readonly string[]) => {
      const readable = ids.filter((id) => mayRead(scope, ownerOf(id) ?? ''));
      if (readable.length === 0) return [];
      const polls = await ds.getRepository(Poll).findBy({ id: In(readable) });
      return polls.filter((p) => mayRead(scope, p.organisationId));
    }, (p) => p.id),
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
    pollsOfSession: pollPages(ds, scope, 'session_id'),
    pollsOfCommunity: pollPages(ds, scope, 'community_id'),
    pollCountByOrganisation: countEach(pollsBy(ds, scope, 'organisation_id')),
    pollCountByProgram: countEach(pollsBy(ds, scope, 'program_id')),
    answersPerPollOfSession: answersPerPollBy(ds, scope, 'session_id'),
    answersPerPollOfCommunity: answersPerPollBy(ds, scope, 'community_id'),
    responseCountByOrganisation: countEach(responsesBy(ds, scope, 'organisation_id')),
    responseCountByProgram: countEach(responsesBy(ds, scope, 'program_id')),
  };
}

export type FeedbackLoaders = ReturnType<typeof createFeedbackLoaders>;
