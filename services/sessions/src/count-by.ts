import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * One GROUP BY statement answering an aggregate for many parents: `parent` is the SQL column the
 * rows are grouped by, `aggregate` the SQL expression per group (a count unless given).
 */
export async function countBy<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, parent: string, aggregate = 'COUNT(*)'): Promise<Map<string, number>> {
  const rows: { id: string; n: string | number | null }[] = await qb.select(parent, 'id').addSelect(aggregate, 'n').groupBy(parent).getRawMany();
  return new Map(rows.map((r) => [r.id, Number(r.n ?? 0)]));
}
