import { countEach, isTimeAndId, loaderById, loaderGrouped, mayRead, ownerOf, paginateEach, readableOrganisations, withinWall, type AccessScope, type KeysetOrder } from '@hub/core';
import DataLoader from 'dataloader';
import { In, type EntityManager } from 'typeorm';
import { ConfidencePair } from './confidence-pair.entity';
import { MaturityAssessment } from './maturity-assessment.entity';
import { Poll, PollKind } from './poll.entity';
import { POLL_ORDER } from './poll-order';
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

/** Polls of each owner within the wall, optionally of one kind; counted and paged from the same rows. */
function pollsBy(ds: EntityManager, scope: AccessScope, column: PollOwnerColumn) {
  return {
    parent: `poll.${column}`,
    query: (ids: string[], filter: PollsOfOwner) => {
      const qb = withinWall(ds.getRepository(Poll).createQueryBuilder('poll').where(`poll.${column} IN (:...ids)`, { ids }), scope, 'poll.organisation_id');
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

/** The owners whose answers are counted by polls that reached the minimum group size (Organisation and Program `feedbackResponseCount`). */
export type ReachedOwnerColumn = 'organisation_id' | 'program_id';

export interface ReachedCountKey {
  id: string;
  filter: ResponseCountFilter;
  /** The minimum group size a poll's answers (within the filter) must reach to be counted. */
  minimumGroupSize: number;
}

/**
 * Answers to each owner's polls within the wall, optionally within days and one program or
 * organisation, counting only the polls answered at least `minimumGroupSize` times within that
 * same window and filter: a poll with fewer contributes nothing (not a partial count), so the
 * difference of two totals (two windows, all against one program) is never a small poll's count.
 * One statement for all owners asked with the same filter, whatever their minimum group sizes.
 */
function reachedResponseCounts(ds: EntityManager, scope: AccessScope, column: ReachedOwnerColumn): DataLoader<ReachedCountKey, number, string> {
  const filterKey = (f: ResponseCountFilter) =>
    JSON.stringify([f.fromDay ?? null, f.toDay ?? null, f.programId ?? null, f.organisationId ?? null]);
  const ownerKey = (id: string, size: number) => JSON.stringify([id, size]);

  async function fetch(owners: { id: string; size: number }[], filter: ResponseCountFilter): Promise<Map<string, number>> {
    const params: unknown[] = [owners.map((o) => o.id), owners.map((o) => o.size)];
    const where: string[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const wall = readableOrganisations(scope);
    if (wall) where.push(`p.organisation_id = ANY(${param(wall)}::text[])`);
    if (filter.programId) where.push(`p.program_id = ${param(filter.programId)}`);
    if (filter.organisationId) where.push(`p.organisation_id = ${param(filter.organisationId)}`);
    if (filter.fromDay) where.push(`r.submitted_on >= ${param(filter.fromDay)}::date`);
    if (filter.toDay) where.push(`r.submitted_on < ${param(filter.toDay)}::date`);
    const rows: { id: string; size: number; n: number }[] = await ds.query(
      `SELECT x.id, x.size, sum(x.n)::int AS n FROM (
         SELECT k.id, k.size, count(*) AS n
         FROM unnest($1::text[], $2::int[]) AS k(id, size)
         JOIN poll p ON p.${column} = k.id
         JOIN response r ON r.poll_id = p.id
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         GROUP BY k.id, k.size, p.id
         HAVING count(*) >= k.size
       ) x GROUP BY x.id, x.size`,
      params,
    );
    return new Map(rows.map((r) => [ownerKey(r.id, r.size), r.n]));
  }

  return new DataLoader<ReachedCountKey, number, string>(
    async (keys) => {
      const groups = new Map<string, { filter: ResponseCountFilter; owners: Map<string, { id: string; size: number }> }>();
      for (const k of keys) {
        const group = groups.get(filterKey(k.filter)) ?? { filter: k.filter, owners: new Map() };
        group.owners.set(ownerKey(k.id, k.minimumGroupSize), { id: k.id, size: k.minimumGroupSize });
        groups.set(filterKey(k.filter), group);
      }
      const results = new Map<string, Map<string, number>>();
      await Promise.all([...groups].map(async ([fk, g]) => results.set(fk, await fetch([...g.owners.values()], g.filter))));
      return keys.map((k) => results.get(filterKey(k.filter))?.get(ownerKey(k.id, k.minimumGroupSize)) ?? 0);
    },
    { cacheKeyFn: (k) => JSON.stringify([k.id, k.minimumGroupSize, filterKey(k.filter)]) },
  );
}

/** How many answered each poll of a session or community (within the wall), per poll: for small-group suppression of their totals. */
export interface PollAnswerCount {
  parent: string;
  count: number;
}

function answersPerPollBy(ds: EntityManager, scope: AccessScope, column: 'session_id' | 'community_id') {
  return loaderGrouped(
    async (ids: readonly string[]): Promise<PollAnswerCount[]> => {
      const wall = readableOrganisations(scope);
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

/** Confidence pairs are listed newest first; the ID breaks ties. */
export const PAIR_ORDER: KeysetOrder<ConfidencePair> = {
  columns: ['pair.createdAt', 'pair.id'],
  values: (p) => [p.createdAt.toISOString(), p.id],
  direction: 'DESC',
  accepts: isTimeAndId,
};

/** Maturity assessments are listed newest first; the ID breaks ties. */
export const ASSESSMENT_ORDER: KeysetOrder<MaturityAssessment> = {
  columns: ['assessment.assessedAt', 'assessment.id'],
  values: (a) => [a.assessedAt.toISOString(), a.id],
  direction: 'DESC',
  accepts: isTimeAndId,
};

/** Each session's or community's confidence pairs (within the wall), newest first, with their count. */
function pairPages(ds: EntityManager, scope: AccessScope, column: 'session_id' | 'community_id') {
  const rows = {
    parent: `pair.${column}`,
    query: (ids: string[]) => withinWall(ds.getRepository(ConfidencePair).createQueryBuilder('pair').where(`pair.${column} IN (:...ids)`, { ids }), scope, 'pair.organisation_id'),
  };
  const count = countEach(rows);
  return paginateEach<null, ConfidencePair>({ ...rows, order: PAIR_ORDER, count: (id, filter) => count.load({ id, filter }) });
}

/** Each community's maturity assessments (within the wall), newest first, with their count. */
function assessmentPages(ds: EntityManager, scope: AccessScope) {
  const rows = {
    parent: 'assessment.community_id',
    query: (ids: string[]) =>
      withinWall(ds.getRepository(MaturityAssessment).createQueryBuilder('assessment').where('assessment.community_id IN (:...ids)', { ids }), scope, 'assessment.organisation_id'),
  };
  const count = countEach(rows);
  return paginateEach<null, MaturityAssessment>({ ...rows, order: ASSESSMENT_ORDER, count: (id, filter) => count.load({ id, filter }) });
}

/** Each session's or community's CHECK_IN polls within the wall, oldest first (the order of a trend). */
function checkInPollsBy(ds: EntityManager, scope: AccessScope, column: 'session_id' | 'community_id') {
  return loaderGrouped(
    (ids: readonly string[]) =>
      withinWall(ds.getRepository(Poll).createQueryBuilder('poll').where(`poll.${column} IN (:...ids)`, { ids: [...ids] }), scope, 'poll.organisation_id')
        .andWhere('poll.kind = :kind', { kind: PollKind.CHECK_IN })
        .orderBy('poll.createdAt', 'ASC')
        .addOrderBy('poll.id', 'ASC')
        .getMany(),
    (p: Poll) => (column === 'session_id' ? p.sessionId : p.communityId) as string,
  );
}

/** How many of a confidence pair's answers pair up (one before and one after answer with the same code), and their sums. */
export interface PairedAnswers {
  pairId: string;
  paired: number;
  sumBefore: number;
  sumAfter: number;
  improved: number;
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
    /** Confidence pairs by ID, within the wall. */
    confidencePair: loaderById(async (ids: readonly string[]) => {
      const readable = ids.filter((id) => mayRead(scope, ownerOf(id) ?? ''));
      if (readable.length === 0) return [];
      const pairs = await ds.getRepository(ConfidencePair).findBy({ id: In(readable) });
      return pairs.filter((p) => mayRead(scope, p.organisationId));
    }, (p) => p.id),
    /** The confidence pair a poll belongs to (as its before or after poll), within the wall. */
    pairOfPoll: new DataLoader<string, ConfidencePair | null>(async (pollIds) => {
      const pairs = await withinWall(ds.getRepository(ConfidencePair).createQueryBuilder('pair'), scope, 'pair.organisation_id')
        .andWhere('(pair.before_poll_id = ANY(CAST(:ids AS text[])) OR pair.after_poll_id = ANY(CAST(:ids AS text[])))', { ids: [...pollIds] })
        .getMany();
      const byPoll = new Map(pairs.flatMap((p) => [[p.beforePollId, p] as const, [p.afterPollId, p] as const]));
      return pollIds.map((id) => byPoll.get(id) ?? null);
    }),
    /** The answers of each pair that pair up, aggregated in the database: no single pair leaves it. */
    pairedAnswers: loaderById(async (ids: readonly string[]): Promise<PairedAnswers[]> => {
      const wall = readableOrganisations(scope);
      const rows: { id: string; n: number; sb: number; sa: number; up: number }[] = await ds.query(
        `SELECT cp.id, count(*)::int AS n, sum(b.rating)::int AS sb, sum(a.rating)::int AS sa, (count(*) FILTER (WHERE a.rating > b.rating))::int AS up
         FROM confidence_pair cp
         JOIN response b ON b.poll_id = cp.before_poll_id AND b.pair_code IS NOT NULL
         JOIN response a ON a.poll_id = cp.after_poll_id AND a.pair_code = b.pair_code
         WHERE cp.id = ANY($1::text[])${wall ? ' AND cp.organisation_id = ANY($2::text[])' : ''}
         GROUP BY cp.id`,
        wall ? [[...ids], wall] : [[...ids]],
      );
      return rows.map((r) => ({ pairId: r.id, paired: r.n, sumBefore: r.sb, sumAfter: r.sa, improved: r.up }));
    }, (r) => r.pairId),
    pairsOfSession: pairPages(ds, scope, 'session_id'),
    pairsOfCommunity: pairPages(ds, scope, 'community_id'),
    checkInPollsOfSession: checkInPollsBy(ds, scope, 'session_id'),
    checkInPollsOfCommunity: checkInPollsBy(ds, scope, 'community_id'),
    /** Each program's OUTCOME polls within the wall. */
    outcomePollsOfProgram: loaderGrouped(
      (ids: readonly string[]) =>
        withinWall(ds.getRepository(Poll).createQueryBuilder('poll').where('poll.program_id IN (:...ids)', { ids: [...ids] }), scope, 'poll.organisation_id')
          .andWhere('poll.kind = :kind', { kind: PollKind.OUTCOME })
          .getMany(),
      (p: Poll) => p.programId,
    ),
    assessmentsOfCommunity: assessmentPages(ds, scope),
    /** Each community's latest maturity assessment within the wall. */
    latestAssessment: loaderById(
      (ids: readonly string[]) =>
        withinWall(ds.getRepository(MaturityAssessment).createQueryBuilder('assessment'), scope, 'assessment.organisation_id')
          .andWhere('assessment.community_id = ANY(CAST(:ids AS text[]))', { ids: [...ids] })
          .distinctOn(['assessment.community_id'])
          .orderBy('assessment.community_id')
          .addOrderBy('assessment.assessedAt', 'DESC')
          .addOrderBy('assessment.id', 'DESC')
          .getMany(),
      (a: MaturityAssessment) => a.communityId,
    ),
    /** Answers to polls that reached the minimum group size, per organisation and per program (see `reachedResponseCounts`). */
    reachedResponseCountByOrganisation: reachedResponseCounts(ds, scope, 'organisation_id'),
    reachedResponseCountByProgram: reachedResponseCounts(ds, scope, 'program_id'),
  };
}

export type FeedbackLoaders = ReturnType<typeof createFeedbackLoaders>;
