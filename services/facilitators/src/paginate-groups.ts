import { decodeCursor, encodeCursor, type KeysetOrder, type PageArgs } from '@hub/core';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** One parent's page of a list; its totalCount comes from a separate (batched) count. */
export interface GroupPage<T> {
  nodes: T[];
  cursors: string[];
  hasNextPage: boolean;
}

export const EMPTY_GROUP_PAGE: GroupPage<never> = Object.freeze({ nodes: [], cursors: [], hasNextPage: false }) as GroupPage<never>;

/**
 * `paginate` for many parents at once (e.g. the facilitators of N organisations): one query
 * ranks each parent's rows with a window function and keeps the first `first + 1` of each.
 * `qb` selects the matching rows of all parents; its entity must have an `id` primary key.
 * Every parent shares the same `after` cursor, as they share the same arguments.
 */
export async function paginateGroups<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  args: PageArgs,
  group: { column: string; of: (row: T) => string },
  order: KeysetOrder<T>,
): Promise<Map<string, GroupPage<T>>> {
  const direction = order.direction ?? 'ASC';
  const alias = qb.alias;
  if (args.after) {
    const values = decodeCursor(args.after, order.columns.length);
    const lhs = order.columns.join(', ');
    const rhs = values.map((_, i) => `:cursor${i}`).join(', ');
    qb.andWhere(`(${lhs}) ${direction === 'ASC' ? '>' : '<'} (${rhs})`, Object.fromEntries(values.map((v, i) => [`cursor${i}`, v])));
  }
  const orderBy = order.columns.map((c) => `${c} ${direction}`).join(', ');
  const ranked = qb
    .clone()
    .select(`${alias}.id`, 'ranked_id')
    .addSelect(`ROW_NUMBER() OVER (PARTITION BY ${group.column} ORDER BY ${orderBy})`, 'row_rank');
  const outer = qb
    .clone()
    .where(`${alias}.id IN (SELECT ranked.ranked_id FROM (${ranked.getQuery()}) ranked WHERE ranked.row_rank <= :pageLimit)`)
    .setParameters({ ...ranked.getParameters(), pageLimit: args.first + 1 })
    .orderBy(group.column, 'ASC');
  for (const column of order.columns) outer.addOrderBy(column, direction);
  const rows = await outer.getMany();

  const pages = new Map<string, GroupPage<T>>();
  for (const row of rows) {
    const key = group.of(row);
    const page = pages.get(key) ?? { nodes: [], cursors: [], hasNextPage: false };
    if (page.nodes.length < args.first) {
      page.nodes.push(row);
      page.cursors.push(encodeCursor(order.values(row)));
    } else {
      page.hasNextPage = true;
    }
    pages.set(key, page);
  }
  return pages;
}
