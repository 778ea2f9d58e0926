import { aggregateLoader, loaderById, loaderGrouped } from '@hub/core';
import { In, type DataSource } from 'typeorm';
import { Poll, type PollKind } from './poll.entity';
import type { ResponseCell } from './poll-results';

/** Poll columns that name what a poll belongs to; only these are ever put into SQL text. */
export type PollOwnerColumn = 'session_id' | 'community_id' | 'organisation_id' | 'program_id';

export interface PollPageFilter {
  kind: PollKind | null;
  first: number;
  /** Decoded cursor: createdAt (ISO) and id of the last poll of the previous page. */
  after: [string, string] | null;
}

export interface ResponseCountFilter {
  /** First UTC day counted, YYYY-MM-DD. */
  fromDay?: string | null;
  /** First UTC day no longer counted. */
  toDay?: string | null;
  programId?: string | null;
  organisationId?: string | null;
}

/** Each owner's newest polls after a cursor: one statement for every owner asked for in a request. */
function pollPages(ds: DataSource, column: PollOwnerColumn) {
  return aggregateLoader<PollPageFilter, Poll[]>(async (ids, filter) => {
    const ranked = [`${column} = ANY(:ids::text[])`];
    if (filter.kind) ranked.push('kind = :kind');
    if (filter.after) ranked.push('(created_at, id) < (:afterAt::timestamptz, :afterId)');
    const rows = await ds
      .getRepository(Poll)
      .createQueryBuilder('poll')
      .where(
        `poll.id IN (SELECT id FROM (
          SELECT id, row_number() OVER (PARTITION BY ${column} ORDER BY created_at DESC, id DESC) AS position
          FROM poll WHERE ${ranked.join(' AND ')}) ranked WHERE position <= :limit)`,
        { ids, kind: filter.kind, afterAt: filter.after?.[0], afterId: filter.after?.[1], limit: filter.first + 1 },
      )
      .orderBy('poll.createdAt', 'DESC')
      .addOrderBy('poll.id', 'DESC')
      .getMany();
    const pages = new Map<string, Poll[]>();
    for (const poll of rows) {
      const owner = ownerValue(poll, column);
      const page = pages.get(owner);
      if (page) page.push(poll);
      else pages.set(owner, [poll]);
    }
    return pages;
  }, []);
}

function ownerValue(poll: Poll, column: PollOwnerColumn): string {
  const values: Record<PollOwnerColumn, string | null> = {
    session_id: poll.sessionId,
    community_id: poll.communityId,
    organisation_id: poll.organisationId,
    program_id: poll.programId,
  };
  return values[column] as string;
}

async function countsById(ds: DataSource, sql: string, params: unknown[]): Promise<Map<string, number>> {
  const rows: { id: string; n: number }[] = await ds.query(sql, params);
  return new Map(rows.map((r) => [r.id, r.n]));
}

/** Number of polls per owner, optionally of one kind: one GROUP BY per batch. */
function pollCounts(ds: DataSource, column: PollOwnerColumn) {
  return aggregateLoader<{ kind: PollKind | null }, number>((ids, filter) => {
    const params: unknown[] = [ids];
    const kind = filter.kind ? ` AND kind = $${params.push(filter.kind)}` : '';
    return countsById(ds, `SELECT ${column} AS id, count(*)::int AS n FROM poll WHERE ${column} = ANY($1::text[])${kind} GROUP BY ${column}`, params);
  }, 0);
}

/** Number of responses to each owner's polls, optionally within days and one program or organisation. */
function responseCounts(ds: DataSource, column: PollOwnerColumn) {
  return aggregateLoader<ResponseCountFilter, number>((ids, filter) => {
    const params: unknown[] = [ids];
    const where = [`p.${column} = ANY($1::text[])`];
    if (filter.programId) where.push(`p.program_id = $${params.push(filter.programId)}`);
    if (filter.organisationId) where.push(`p.organisation_id = $${params.push(filter.organisationId)}`);
    if (filter.fromDay) where.push(`r.submitted_on >= $${params.push(filter.fromDay)}::date`);
    if (filter.toDay) where.push(`r.submitted_on < $${params.push(filter.toDay)}::date`);
    return countsById(
      ds,
      `SELECT p.${column} AS id, count(*)::int AS n FROM response r JOIN poll p ON p.id = r.poll_id
       WHERE ${where.join(' AND ')} GROUP BY p.${column}`,
      params,
    );
  }, 0);
}

/** Per-request loaders of the feedback subgraph: one query per relation or aggregate per request. */
export function createFeedbackLoaders(ds: DataSource) {
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
    pollCountBySession: pollCounts(ds, 'session_id'),
    pollCountByCommunity: pollCounts(ds, 'community_id'),
    pollCountByOrganisation: pollCounts(ds, 'organisation_id'),
    pollCountByProgram: pollCounts(ds, 'program_id'),
    responseCountBySession: responseCounts(ds, 'session_id'),
    responseCountByCommunity: responseCounts(ds, 'community_id'),
    responseCountByOrganisation: responseCounts(ds, 'organisation_id'),
    responseCountByProgram: responseCounts(ds, 'program_id'),
  };
}

export type FeedbackLoaders = ReturnType<typeof createFeedbackLoaders>;
