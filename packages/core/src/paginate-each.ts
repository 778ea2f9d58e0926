import DataLoader from 'dataloader';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { decodeKeysetCursor, encodeCursor, type KeysetOrder, type Page } from './pagination';

/** One parent's page of a nested list, e.g. the first five sessions of one community. */
export interface PageKey<F> {
  /** The parent's ID. */
  id: string;
  filter: F;
  first: number;
  /** endCursor of the previous page, as the client gave it. */
  after: string | null;
}

/** The rows below many parents at once, e.g. the sessions of the communities asked about. */
export interface RowsOfParents<F, T extends ObjectLiteral> {
  /** The rows of the given parents that match `filter`. */
  query(parentIds: string[], filter: F): SelectQueryBuilder<T>;
  /**
   * SQL expression for a row's parent in `query`: a column of the row, or of a joined table when a
   * row can belong to many parents (each of them then counts it and gets it on its own page).
   */
  parent: string;
}

/** The listed entity is `query`'s main alias; its primary key must be `id`. */
export interface PaginateEachOptions<F, T extends { id: string }> extends RowsOfParents<F, T> {
  order: KeysetOrder<T>;
  /** Rows of one parent matching the filter across all pages; only asked when totalCount is. */
  count(parentId: string, filter: F): Promise<number>;
}

/**
 * `paginate` below a list: the same connection asked for N parents (each organisation's
 * facilitators, each session's polls) costs one statement, not N. A window function ranks each
 * parent's rows in keyset order and keeps `first + 1` of them, the extra one telling whether
 * another page follows. Parents asked with the same filter and page arguments share the statement;
 * their totals come from `count`, which should batch the same way.
 */
export function paginateEach<F, T extends { id: string }>(options: PaginateEachOptions<F, T>): DataLoader<PageKey<F>, Page<T>, string> {
  const { order } = options;
  const direction = order.direction ?? 'ASC';
  const argsOf = (k: PageKey<F>) => JSON.stringify([k.filter ?? null, k.first, k.after]);

  /** Each parent's page and the row after it, the one telling whether another page follows. */
  async function firstRows(parentIds: string[], key: PageKey<F>): Promise<Map<string, T[]>> {
    const qb = options.query(parentIds, key.filter);
    const alias = qb.alias;
    const after = key.after ? decodeKeysetCursor(key.after, order) : null;
    if (after) {
      const rhs = after.map((_, i) => `:after${i}`).join(', ');
      qb.andWhere(`(${order.columns.join(', ')}) ${direction === 'ASC' ? '>' : '<'} (${rhs})`, Object.fromEntries(after.map((v, i) => [`after${i}`, v])));
    }
    const orderBy = order.columns.map((c) => `${c} ${direction}`).join(', ');
    qb.select(options.parent, 'page_parent')
      .addSelect(`${alias}.id`, 'page_row')
      .addSelect(`ROW_NUMBER() OVER (PARTITION BY ${options.parent} ORDER BY ${orderBy})`, 'page_rank');
    // The rows are read in the same statement, joined to their ranks: the ranking query may join
    // other tables (and so repeat a row), the outer one reads each entity as TypeORM maps it.
    // a new builder from `qb` keeps its query runner: the request's own scoped transaction
    const { raw, entities } = await qb
      .createQueryBuilder()
      .select(alias)
      .from<T>(qb.expressionMap.mainAlias!.target, alias)
      .innerJoin(`(${qb.getQuery()})`, 'ranked', `ranked.page_row = ${alias}.id AND ranked.page_rank <= :pageLimit`)
      .setParameters({ ...qb.getParameters(), pageLimit: key.first + 1 })
      .addSelect('ranked.page_parent', 'page_parent')
      .addSelect('ranked.page_row', 'page_row')
      .orderBy('ranked.page_parent')
      .addOrderBy('ranked.page_rank')
      .getRawAndEntities<{ page_parent: string; page_row: string }>();
    const byId = new Map(entities.map((e) => [e.id, e]));
    const rows = new Map<string, T[]>();
    for (const r of raw) {
      const row = byId.get(r.page_row);
      if (!row) continue;
      const list = rows.get(r.page_parent);
      if (list) list.push(row);
      else rows.set(r.page_parent, [row]);
    }
    return rows;
  }

  return new DataLoader<PageKey<F>, Page<T>, string>(
    async (keys) => {
      const batches = new Map<string, { key: PageKey<F>; parentIds: Set<string> }>();
      for (const k of keys) {
        const batch = batches.get(argsOf(k)) ?? { key: k, parentIds: new Set<string>() };
        batch.parentIds.add(k.id);
        batches.set(argsOf(k), batch);
      }
      // A malformed cursor fails only the keys that carry it.
      const found = new Map<string, Map<string, T[]> | Error>();
      await Promise.all(
        [...batches].map(async ([args, b]) => {
          const rows = await firstRows([...b.parentIds], b.key).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
          found.set(args, rows);
        }),
      );
      return keys.map((k) => {
        const pages = found.get(argsOf(k));
        if (pages instanceof Error) return pages;
        const rows = pages?.get(k.id) ?? [];
        const nodes = rows.slice(0, k.first);
        let total: Promise<number> | undefined;
        return {
          nodes,
          cursors: nodes.map((n) => encodeCursor(order.values(n))),
          hasNextPage: rows.length > k.first,
          totalCount: () => (total ??= options.count(k.id, k.filter)),
        };
      });
    },
    { cacheKeyFn: (k) => JSON.stringify([k.id, k.filter ?? null, k.first, k.after]) },
  );
}
