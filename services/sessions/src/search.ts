import { badField, decodeCursor, encodeCursor, type Page, type PageArgs } from '@hub/core';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** The words a search may be given: websearch syntax (`"exact phrase"`, `or`, `-word`). */
export function checkSearchText(text: string, field = 'query'): string {
  const trimmed = text.trim();
  if (trimmed.length < 1 || trimmed.length > 200) throw badField(field, 'must be 1 to 200 characters');
  return trimmed;
}

/**
 * One page of rows of `qb` (main alias `alias`, with a `search` tsvector column) matching `text`
 * by PostgreSQL full-text search (`websearch_to_tsquery('english', …)`), best match first, the ID
 * breaking ties. The rank is rounded so that a cursor carries it exactly.
 */
export async function searchPage<T extends ObjectLiteral & { id: string }>(qb: SelectQueryBuilder<T>, text: string, page: PageArgs): Promise<Page<T>> {
  const alias = qb.alias;
  const rank = `round(ts_rank(${alias}.search, websearch_to_tsquery('english', :searchText))::numeric, 6)`;
  qb.andWhere(`${alias}.search @@ websearch_to_tsquery('english', :searchText)`, { searchText: text });
  const counter = qb.clone();
  if (page.after) {
    const [afterRank, afterId] = decodeCursor(page.after, 2);
    if (typeof afterRank !== 'string' || !/^\d+(\.\d+)?$/.test(afterRank) || typeof afterId !== 'string') {
      throw badField('after', 'is not a cursor returned by this list');
    }
    qb.andWhere(`(${rank}, ${alias}.id) < (CAST(:afterRank AS numeric), :afterId)`, { afterRank, afterId });
  }
  const { raw, entities } = await qb
    .addSelect(rank, 'search_rank')
    .orderBy('search_rank', 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(page.first + 1)
    .getRawAndEntities<Record<string, string>>();
  const rankOf = new Map(raw.map((r) => [r[`${alias}_id`], String(r.search_rank)]));
  const nodes = entities.slice(0, page.first);
  let total: Promise<number> | undefined;
  return {
    nodes,
    cursors: nodes.map((n) => encodeCursor([rankOf.get(n.id) ?? '0', n.id])),
    hasNextPage: entities.length > page.first,
    totalCount: () => (total ??= counter.getCount()),
  };
}
