import { isTimeAndId, type AccessScope, type KeysetOrder } from '@hub/core';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { ForumItem, ForumItemStatus } from './forum-item.entity';

export interface ForumItemCriteria {
  status?: ForumItemStatus | null;
  tier?: string | null;
}

/** Adds the criteria to a query over forum items aliased `item`. */
export function whereForumItems<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, c: ForumItemCriteria): SelectQueryBuilder<T> {
  if (c.status) qb.andWhere('item.status = :status', { status: c.status });
  if (c.tier) qb.andWhere('item.tier = :tier', { tier: c.tier });
  return qb;
}

/** Newest first; the ID, compared byte by byte on every deployment, breaks ties. */
export const FORUM_ITEM_ORDER: KeysetOrder<ForumItem> = {
  columns: ['item.raised_at', 'item.id COLLATE "C"'],
  values: (i) => [i.raisedAt.toISOString(), i.id],
  direction: 'DESC',
  accepts: isTimeAndId,
};

/**
 * May the caller see a forum item? Within its wall by either the organisation it was raised under or
 * the one owning the forum it is in now; never a participant (forums are practitioners' spaces).
 * The same rule as the row-level-security policy.
 */
export function seesForumItem(scope: AccessScope, item: { organisationId: string; forumOrganisationId: string }): boolean {
  if (scope.role === 'system') return true;
  if (scope.role === 'participant') return false;
  return scope.organisations.includes(item.organisationId) || scope.organisations.includes(item.forumOrganisationId);
}

/** The same rule as SQL over the alias `a`; `$n` is the caller's wall.  */
export function forumItemWallSql(scope: AccessScope, a: string, n: number): string {
  // the parameter is referenced either way: PostgreSQL refuses a parameter it cannot type
  if (scope.role === 'system') return `$${n}::text[] IS NOT NULL`;
  if (scope.role === 'participant') return `$${n}::text[] IS NULL`;
  return `(${a}.organisation_id = ANY ($${n}) OR ${a}.forum_organisation_id = ANY ($${n}))`;
}
