import type { Page } from '@hub/core';
import { encodeCursor } from '@hub/core';
import DataLoader from 'dataloader';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

export type CursorValues = (string | number)[];

/** One page of one parent's list: the same filter and page arguments may be asked for many parents. */
export interface PageKey<F> {
  id: string;
  filter: F;
  first: number;
  /** The decoded `after` cursor, already validated by the resolver. */
  after: CursorValues | null;
}

export interface RankedRow {
  parent_id: string;
  id: string;
}

/**
 * The IDs on the first `limit` rows of every parent's list, in one statement: a window function
 * numbers each parent's rows in keyset order. `order` lists SQL columns, the last one the row's
 * unique ID; `qb` already holds the filter and the restriction to the wanted parents.
 */
export async function rankedIds<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  parent: string,
  order: string[],
  after: CursorValues | null,
  limit: number,
): Promise<RankedRow[]> {
  if (after) {
    qb.andWhere(
      `(${order.join(', ')}) > (${after.map((_, i) => `:after${i}`).join(', ')})`,
      Object.fromEntries(after.map((v, i) => [`after${i}`, v])),
    );
  }
  qb.select(parent, 'parent_id')
    .addSelect(order[order.length - 1], 'id')
    .addSelect(`ROW_NUMBER() OVER (PARTITION BY ${parent} ORDER BY ${order.join(', ')})`, 'rn');
  const [sql, params] = qb.getQueryAndParameters();
  return qb.connection.query(`SELECT parent_id, id FROM (${sql}) ranked WHERE rn <= $${params.length + 1} ORDER BY parent_id, rn`, [
    ...params,
    limit,
  ]);
}

export interface PagedLoaderOptions<F, T> {
  /** IDs on the first `limit` rows of each parent's list (see rankedIds). */
  rank(parentIds: string[], filter: F, after: CursorValues | null, limit: number): Promise<RankedRow[]>;
  /** The rows themselves, through the entity's own loader. */
  load(ids: string[]): Promise<(T | null | Error)[]>;
  cursorOf(row: T): CursorValues;
  /** Rows of one parent matching the filter, across all pages (an aggregate loader). */
  count(id: string, filter: F): Promise<number>;
}

/**
 * A connection below a list (e.g. each organisation's communities) costs two statements however
 * many parents there are: one ranking the IDs of every parent's page, one loading those rows.
 */
export function pagedLoader<F, T extends object>(options: PagedLoaderOptions<F, T>): DataLoader<PageKey<F>, Page<T>, string> {
  return new DataLoader<PageKey<F>, Page<T>, string>(
    async (keys) => {
      const groups = new Map<string, { key: PageKey<F>; ids: string[] }>();
      for (const k of keys) {
        const gk = JSON.stringify([k.filter ?? null, k.first, k.after]);
        const group = groups.get(gk) ?? { key: k, ids: [] };
        group.ids.push(k.id);
        groups.set(gk, group);
      }
      const ranked = new Map<string, RankedRow[]>();
      await Promise.all(
        [...groups].map(async ([gk, g]) => ranked.set(gk, await options.rank([...new Set(g.ids)], g.key.filter, g.key.after, g.key.first + 1))),
      );
      const allIds = [...new Set([...ranked.values()].flat().map((r) => r.id))];
      const loaded = await options.load(allIds);
      const byId = new Map<string, T>();
      allIds.forEach((id, i) => {
        const row = loaded[i];
        if (row && !(row instanceof Error)) byId.set(id, row);
      });
      return keys.map((k) => {
        const rows = (ranked.get(JSON.stringify([k.filter ?? null, k.first, k.after])) ?? [])
          .filter((r) => r.parent_id === k.id)
          .map((r) => byId.get(r.id))
          .filter((row): row is T => row !== undefined);
        const nodes = rows.slice(0, k.first);
        let total: Promise<number> | undefined;
        return {
          nodes,
          cursors: nodes.map((n) => encodeCursor(options.cursorOf(n))),
          hasNextPage: rows.length > k.first,
          totalCount: () => (total ??= options.count(k.id, k.filter)),
        };
      });
    },
    { cacheKeyFn: (k) => JSON.stringify([k.id, k.filter ?? null, k.first, k.after]) },
  );
}
