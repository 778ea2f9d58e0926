import { aggregateLoader, countEach, loaderById, loaderGrouped, paginateEach, type AccessScope } from '@hub/core';
import { In, type EntityManager } from 'typeorm';
import { PlannedEngagement } from './engagement.entity';
import { ForumItem, ForumItemEvent } from './forum-item.entity';
import { FORUM_ITEM_ORDER, forumItemWallSql, seesForumItem, whereForumItems, type ForumItemCriteria } from './forum-query';

/**
 * Per-request loaders of the community-of-practice features (issue 6 items 3–5): tiered forum items,
 * planned engagements and their overlaps, participation and drop-off. Each list or aggregate is one
 * statement for all the parents asked about with the same arguments.
 */

export interface ForumTierRow {
  tier: string | null;
  tierLevel: number | null;
  openItems: number;
  respondedArrivals: number;
  averageDaysToResponse: number | null;
}

export interface EngagementPair {
  a: PlannedEngagement;
  b: PlannedEngagement;
}

export type TrendInterval = 'WEEK' | 'MONTH';
export interface TrendRow {
  periodStart: Date;
  sessions: number;
  attendance: number;
}
export interface AtRiskRow {
  attendeeRef: string;
  lastAttendedAt: Date;
  missedSessions: number;
}
export interface RetentionRow {
  sessionNumber: number;
  communities: number;
  cohort: number;
  retained: number;
  attendance: number;
}
export interface PartnerParticipationRow {
  organisationId: string;
  communities: number;
  sessionsHeld: number;
  attendance: number;
  identifiedAttendance: number;
  members: number;
  membersAtRisk: number;
}

/** Can the caller see this plan row at all (the row-level-security rule; the resolver withholds its details)? */
export function seesEngagementRow(scope: AccessScope, e: { organisationId: string; programId: string }): boolean {
  if (scope.role === 'system') return true;
  if (scope.organisations.includes(e.organisationId) && scope.role !== 'participant' && scope.role !== 'facilitator') return true;
  return (scope.role === 'partner-admin' || scope.role === 'national-manager') && scope.programs.includes(e.programId);
}

/** A planned_engagement row read as JSON (to_jsonb) back into the entity. */
function engagementOf(j: Record<string, any>): PlannedEngagement {
  return Object.assign(new PlannedEngagement(), {
    id: j.id,
    organisationId: j.organisation_id,
    programId: j.program_id,
    title: j.title,
    regionIds: j.region_ids,
    audiences: j.audiences,
    startsOn: j.starts_on,
    endsOn: j.ends_on,
    createdAt: new Date(j.created_at),
    updatedAt: new Date(j.updated_at),
  });
}

/**
 * Two plans overlap when they are of the same program and different organisations, share a region
 * (the same region ID: a state and a region inside it do not count) and an audience, their date
 * windows intersect and neither has ended yet.
 */
const overlapJoin = (plans: string) => `${plans} a JOIN ${plans} b
  ON a.program_id = b.program_id AND a.organisation_id <> b.organisation_id
  AND a.region_ids && b.region_ids AND a.audiences && b.audiences
  AND a.starts_on <= b.ends_on AND b.starts_on <= a.ends_on
  AND a.ends_on >= CURRENT_DATE AND b.ends_on >= CURRENT_DATE`;

/**
 * This deployment's plans with the plans of organisations on partner nodes that a gateway
 * routing to them handed over for matching, as the caller may see them (core held-elsewhere.ts):
 * the hub matches its partners' plans with theirs. `$n` is those plans as JSON.
 */
const withPlansElsewhere = (n: number) => `WITH plans AS (
  SELECT id, organisation_id, program_id, title, region_ids, audiences, starts_on, ends_on, created_at, updated_at FROM planned_engagement
  UNION ALL
  SELECT id, organisation_id, program_id, title, region_ids, audiences, starts_on, ends_on, NULL::timestamptz, NULL::timestamptz
  FROM jsonb_to_recordset($${n}::jsonb) AS v(id text, organisation_id text, program_id text, title text, region_ids text[], audiences text[], starts_on date, ends_on date))`;

/** The engagement visibility rule as SQL over alias `x` ($n: the caller's wall, $m: its programs). */
function engagementWallSql(scope: AccessScope, x: string, n: number, m: number): string {
  // the parameters are referenced either way: PostgreSQL refuses a parameter it cannot type
  if (scope.role === 'system') return `($${n}::text[] IS NOT NULL AND $${m}::text[] IS NOT NULL)`;
  const admin = scope.role === 'partner-admin' || scope.role === 'national-manager';
  if (!admin) return `($${n}::text[] IS NULL AND $${m}::text[] IS NULL)`;
  return `(${x}.organisation_id = ANY ($${n}) OR ${x}.program_id = ANY ($${m}))`;
}

/** Overlapping pairs; `where` selects the `a` side. */
export async function overlapPairs(ds: EntityManager, scope: AccessScope, parent: string, where: string, params: unknown[]): Promise<(EngagementPair & { parent: string })[]> {
  const n = params.length + 1;
  const elsewhere = (scope.elsewhere?.plans ?? []).map((p) => ({
    id: p.id,
    organisation_id: p.organisationId,
    program_id: p.programId,
    title: p.title,
    region_ids: p.regionIds,
    audiences: p.audiences.map((x) => x.trim().toLowerCase()),
    starts_on: p.startsOn,
    ends_on: p.endsOn,
  }));
  const rows: { parent: string; a: Record<string, any>; b: Record<string, any> }[] = await ds.query(
    `${elsewhere.length ? withPlansElsewhere(n + 2) : ''}
     SELECT ${parent} AS parent, to_jsonb(a) AS a, to_jsonb(b) AS b
     FROM ${overlapJoin(elsewhere.length ? 'plans' : 'planned_engagement')}
     WHERE ${where} AND ${engagementWallSql(scope, 'a', n, n + 1)} AND ${engagementWallSql(scope, 'b', n, n + 1)}
     ORDER BY GREATEST(a.starts_on, b.starts_on), a.id, b.id`,
    [...params, scope.organisations, scope.programs, ...(elsewhere.length ? [JSON.stringify(elsewhere)] : [])],
  );
  return rows.map((r) => ({ parent: r.parent, a: engagementOf(r.a), b: engagementOf(r.b) }));
}

function groupBy<T extends { parent: string }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of rows) map.set(r.parent, [...(map.get(r.parent) ?? []), r]);
  return map;
}

/** Sessions of the caller's wall as SQL over alias `s`. */
function sessionWallSql(scope: AccessScope, s: string, n: number): string {
  return scope.role === 'system' ? `$${n}::text[] IS NOT NULL` : `${s}.organisation_id = ANY ($${n})`;
}

export function createForumLoaders(ds: EntityManager, scope: AccessScope) {
  const items = () => {
    const qb = ds.getRepository(ForumItem).createQueryBuilder('item');
    if (scope.role === 'participant') return qb.andWhere('FALSE');
    if (scope.role === 'system') return qb;
    return qb.andWhere('(item.organisation_id = ANY (:wall) OR item.forum_organisation_id = ANY (:wall))', { wall: scope.organisations });
  };
  const itemsBy = (parent: string) => ({
    parent,
    query: (ids: string[], c: ForumItemCriteria) => whereForumItems(items(), c).andWhere(`${parent} IN (:...ids)`, { ids }),
  });
  const forumItemCountOfProgram = countEach(itemsBy('item.program_id'));
  const forumItemCountOfForum = countEach(itemsBy('item.forum_id'));

  return {
    forumItem: loaderById(
      async (ids: readonly string[]) => (await ds.getRepository(ForumItem).findBy({ id: In([...ids]) })).filter((i) => seesForumItem(scope, i)),
      (i) => i.id,
    ),
    historyOfForumItem: loaderGrouped(
      (ids: readonly string[]) => ds.getRepository(ForumItemEvent).find({ where: { itemId: In([...ids]) }, order: { at: 'ASC', id: 'ASC' } }),
      (e) => e.itemId,
    ),
    forumItemCountOfProgram,
    forumItemCountOfForum,
    forumItemsOfProgram: paginateEach<ForumItemCriteria, ForumItem>({
      ...itemsBy('item.program_id'),
      order: FORUM_ITEM_ORDER,
      count: (id, c) => forumItemCountOfProgram.load({ id, filter: c }),
    }),
    forumItemsOfForum: paginateEach<ForumItemCriteria, ForumItem>({
      ...itemsBy('item.forum_id'),
      order: FORUM_ITEM_ORDER,
      count: (id, c) => forumItemCountOfForum.load({ id, filter: c }),
    }),
    /**
     * Per program and tier: items open there now (OPEN or ESCALATED, by the tier of the forum they
     * are in), and the average days from an item reaching a forum of the tier (raised or escalated
     * there) to that forum's first response, over the arrivals that got one.
     */
    forumSummary: aggregateLoader(async (ids: string[]) => {
      const rows: { program_id: string; tier: string | null; lvl: number | null; open_items: string; responded: string; days: string | null }[] = await ds.query(
        `WITH open_items AS (
           SELECT i.program_id, i.tier, MIN(i.tier_level) AS lvl, COUNT(*) AS n FROM forum_item i
           WHERE i.program_id = ANY ($1) AND i.status IN ('OPEN', 'ESCALATED') AND ${forumItemWallSql(scope, 'i', 2)}
           GROUP BY 1, 2),
         arrivals AS (
           SELECT i.program_id, a.tier, c.tier_level AS lvl, a.at,
             (SELECT MIN(r.at) FROM forum_item_event r WHERE r.item_id = a.item_id AND r.kind = 'RESPONDED' AND r.forum_id = a.forum_id AND r.at >= a.at) AS responded_at
           FROM forum_item_event a JOIN forum_item i ON i.id = a.item_id LEFT JOIN community c ON c.id = a.forum_id
           WHERE a.kind IN ('RAISED', 'ESCALATED') AND i.program_id = ANY ($1) AND ${forumItemWallSql(scope, 'i', 2)}),
         answered AS (
           SELECT program_id, tier, MIN(lvl) AS lvl, COUNT(responded_at) AS n,
             AVG(EXTRACT(EPOCH FROM responded_at - at) / 86400.0) FILTER (WHERE responded_at IS NOT NULL) AS days
           FROM arrivals GROUP BY 1, 2)
         SELECT COALESCE(o.program_id, a.program_id) AS program_id, COALESCE(o.tier, a.tier) AS tier, COALESCE(o.lvl, a.lvl) AS lvl,
           COALESCE(o.n, 0) AS open_items, COALESCE(a.n, 0) AS responded, a.days
         FROM open_items o FULL JOIN answered a ON a.program_id = o.program_id AND COALESCE(a.tier, '') = COALESCE(o.tier, '')
         ORDER BY 3 NULLS LAST, 2`,
        [ids, scope.organisations],
      );
      const map = new Map<string, ForumTierRow[]>();
      for (const r of rows) {
        const list = map.get(r.program_id) ?? [];
        list.push({
          tier: r.tier,
          tierLevel: r.lvl === null ? null : Number(r.lvl),
          openItems: Number(r.open_items),
          respondedArrivals: Number(r.responded),
          averageDaysToResponse: r.days === null ? null : Number(r.days),
        });
        map.set(r.program_id, list);
      }
      return map;
    }, [] as ForumTierRow[]),

    engagement: loaderById(
      async (ids: readonly string[]) =>
        (await ds.getRepository(PlannedEngagement).findBy({ id: In([...ids]) })).filter((e) => seesEngagementRow(scope, e)),
      (e) => e.id,
    ),
    /** An organisation's plans that have not ended, by start. */
    engagementsOfOrganisation: loaderGrouped(
      (ids: readonly string[]) =>
        ds
          .getRepository(PlannedEngagement)
          .createQueryBuilder('e')
          .where('e.organisation_id IN (:...ids)', { ids })
          .andWhere('e.ends_on >= CURRENT_DATE')
          .orderBy('e.starts_on')
          .addOrderBy('e.id')
          .getMany()
          .then((rows) => rows.filter((e) => seesEngagementRow(scope, e))),
      (e) => e.organisationId,
    ),
    overlapsOfOrganisation: aggregateLoader(
      async (ids: string[], filter: { programId?: string }) =>
        groupBy(await overlapPairs(ds, scope, 'a.organisation_id', filter.programId ? 'a.organisation_id = ANY ($1) AND a.program_id = $2' : 'a.organisation_id = ANY ($1)', filter.programId ? [ids, filter.programId] : [ids])),
      [] as (EngagementPair & { parent: string })[],
    ),
    overlapsOfProgram: aggregateLoader(
      async (ids: string[]) => groupBy(await overlapPairs(ds, scope, 'a.program_id', 'a.program_id = ANY ($1) AND a.id < b.id', [ids])),
      [] as (EngagementPair & { parent: string })[],
    ),

    attendanceTrendOfCommunity: attendanceTrendLoader(ds, scope, 'community_id'),
    attendanceTrendOfProgram: attendanceTrendLoader(ds, scope, 'program_id'),

    /** Identified attendees of each community who came to one of its ended sessions but to none of the last `missedLast`. */
    membersAtRisk: aggregateLoader(async (ids: string[], f: { missedLast: number }) => {
      const rows: { id: string; attendee_ref: string; last_attended: Date; missed: string }[] = await ds.query(
        `WITH ranked AS (
           SELECT s.id, s.community_id, s.starts_at, ROW_NUMBER() OVER (PARTITION BY s.community_id ORDER BY s.starts_at DESC, s.id DESC) AS rn
           FROM session s WHERE s.community_id = ANY ($1) AND s.status = 'ENDED' AND ${sessionWallSql(scope, 's', 3)})
         SELECT r.community_id AS id, a.attendee_ref, MAX(r.starts_at) AS last_attended, MIN(r.rn) - 1 AS missed
         FROM attendance a JOIN ranked r ON r.id = a.session_id
         GROUP BY 1, 2 HAVING MIN(r.rn) > $2
         ORDER BY 1, 3 DESC, 2`,
        [ids, f.missedLast, scope.organisations],
      );
      const map = new Map<string, AtRiskRow[]>();
      for (const r of rows) {
        map.set(r.id, [...(map.get(r.id) ?? []), { attendeeRef: r.attendee_ref, lastAttendedAt: new Date(r.last_attended), missedSessions: Number(r.missed) }]);
      }
      return map;
    }, [] as AtRiskRow[]),

    retentionOfProgram: retentionLoader(ds, scope, 'program_id'),
    retentionOfCommunity: retentionLoader(ds, scope, 'community_id'),

    participationByPartner: aggregateLoader(async (ids: string[], f: { from: string; to: string; missedLast: number }) => {
      const rows: Record<string, string>[] = await ds.query(
        `WITH s AS (
           SELECT * FROM session s WHERE s.program_id = ANY ($1) AND s.status = 'ENDED' AND s.starts_at >= $2 AND s.starts_at < $3 AND ${sessionWallSql(scope, 's', 5)}),
         sums AS (
           SELECT program_id, organisation_id, COUNT(DISTINCT community_id) AS communities, COUNT(*) AS sessions, SUM(unidentified_attendees) AS unidentified
           FROM s GROUP BY 1, 2),
         people AS (
           SELECT s.program_id, s.organisation_id, COUNT(*) AS identified, COUNT(DISTINCT (s.community_id, a.attendee_ref)) AS members
           FROM attendance a JOIN s ON s.id = a.session_id GROUP BY 1, 2),
         ranked AS (
           SELECT s.id, s.program_id, s.organisation_id, s.community_id, ROW_NUMBER() OVER (PARTITION BY s.community_id ORDER BY s.starts_at DESC, s.id DESC) AS rn
           FROM session s WHERE s.program_id = ANY ($1) AND s.status = 'ENDED' AND ${sessionWallSql(scope, 's', 5)}),
         risk AS (
           SELECT program_id, organisation_id, COUNT(*) AS n FROM (
             SELECT r.program_id, r.organisation_id, r.community_id, a.attendee_ref FROM attendance a JOIN ranked r ON r.id = a.session_id
             GROUP BY 1, 2, 3, 4 HAVING MIN(r.rn) > $4) x
           GROUP BY 1, 2)
         SELECT COALESCE(sums.program_id, risk.program_id) AS program_id, COALESCE(sums.organisation_id, risk.organisation_id) AS organisation_id,
           COALESCE(sums.communities, 0) AS communities, COALESCE(sums.sessions, 0) AS sessions,
           COALESCE(sums.unidentified, 0) + COALESCE(people.identified, 0) AS attendance, COALESCE(people.identified, 0) AS identified,
           COALESCE(people.members, 0) AS members, COALESCE(risk.n, 0) AS at_risk
         FROM sums LEFT JOIN people ON people.program_id = sums.program_id AND people.organisation_id = sums.organisation_id
         FULL JOIN risk ON risk.program_id = sums.program_id AND risk.organisation_id = sums.organisation_id
         ORDER BY 2`,
        [ids, f.from, f.to, f.missedLast, scope.organisations],
      );
      const map = new Map<string, PartnerParticipationRow[]>();
      for (const r of rows) {
        map.set(r.program_id, [
          ...(map.get(r.program_id) ?? []),
          {
            organisationId: r.organisation_id,
            communities: Number(r.communities),
            sessionsHeld: Number(r.sessions),
            attendance: Number(r.attendance),
            identifiedAttendance: Number(r.identified),
            members: Number(r.members),
            membersAtRisk: Number(r.at_risk),
          },
        ]);
      }
      return map;
    }, [] as PartnerParticipationRow[]),
  };
}

/**
 * Retention: every community's ended sessions numbered in order; its cohort is who came to its
 * first one; at session k, how many of the cohort came. Summed over the parent's communities that
 * have a k-th session, so a program's figure weighs each community by its cohort.
 */
/** Sessions held and attendance per interval, for communities or whole programs (every partner's communities). */
function attendanceTrendLoader(ds: EntityManager, scope: AccessScope, parent: 'program_id' | 'community_id') {
  return aggregateLoader(async (ids: string[], f: { from: string; to: string; interval: TrendInterval }) => {
    const rows: { id: string; period: Date; sessions: string; attendance: string }[] = await ds.query(
      `SELECT s.${parent} AS id, date_trunc($4, s.starts_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS period, COUNT(*) AS sessions,
         SUM(s.unidentified_attendees + (SELECT COUNT(*) FROM attendance a WHERE a.session_id = s.id)) AS attendance
       FROM session s
       WHERE s.${parent} = ANY ($1) AND s.status = 'ENDED' AND s.starts_at >= $2 AND s.starts_at < $3 AND ${sessionWallSql(scope, 's', 5)}
       GROUP BY 1, 2 ORDER BY 1, 2`,
      [ids, f.from, f.to, f.interval === 'WEEK' ? 'week' : 'month', scope.organisations],
    );
    const map = new Map<string, TrendRow[]>();
    for (const r of rows) map.set(r.id, [...(map.get(r.id) ?? []), { periodStart: new Date(r.period), sessions: Number(r.sessions), attendance: Number(r.attendance) }]);
    return map;
  }, [] as TrendRow[]);
}

function retentionLoader(ds: EntityManager, scope: AccessScope, parent: 'program_id' | 'community_id') {
  return aggregateLoader(async (ids: string[], f: { maxSessions: number }) => {
    const rows: { parent: string; k: string; communities: string; cohort: string; retained: string; attendance: string }[] = await ds.query(
      `WITH s AS (
         SELECT s.id, s.community_id, s.${parent} AS parent, s.unidentified_attendees,
           ROW_NUMBER() OVER (PARTITION BY s.community_id ORDER BY s.starts_at, s.id) AS k
         FROM session s WHERE s.${parent} = ANY ($1) AND s.status = 'ENDED' AND ${sessionWallSql(scope, 's', 3)}),
       cohort AS (SELECT s.community_id, a.attendee_ref FROM attendance a JOIN s ON s.id = a.session_id AND s.k = 1)
       SELECT s.parent, s.k, COUNT(*) AS communities,
         SUM((SELECT COUNT(*) FROM cohort c WHERE c.community_id = s.community_id)) AS cohort,
         SUM((SELECT COUNT(*) FROM attendance a JOIN cohort c ON c.community_id = s.community_id AND c.attendee_ref = a.attendee_ref WHERE a.session_id = s.id)) AS retained,
         SUM(s.unidentified_attendees + (SELECT COUNT(*) FROM attendance a WHERE a.session_id = s.id)) AS attendance
       FROM s WHERE s.k <= $2 GROUP BY 1, 2 ORDER BY 1, 2`,
      [ids, f.maxSessions, scope.organisations],
    );
    const map = new Map<string, RetentionRow[]>();
    for (const r of rows) {
      map.set(r.parent, [
        ...(map.get(r.parent) ?? []),
        { sessionNumber: Number(r.k), communities: Number(r.communities), cohort: Number(r.cohort), retained: Number(r.retained), attendance: Number(r.attendance) },
      ]);
    }
    return map;
  }, [] as RetentionRow[]);
}

export type ForumLoaders = ReturnType<typeof createForumLoaders>;
