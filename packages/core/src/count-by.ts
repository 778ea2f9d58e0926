import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * An aggregate for many parents in one GROUP BY statement (the batch function of an
 * `aggregateLoader`): `parent` is the SQL expression the rows are grouped by, `aggregate` the
 * value per group, a count unless given. Parents without rows are absent from the map.
 */
export async function countBy<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, parent: string, aggregate = 'COUNT(*)'): Promise<Map<string, number>> {
  const rows: { id: string; n: string | number | null }[] = await qb.select(parent, 'id').addSelect(aggregate, 'n').groupBy(parent).getRawMany();
  return new Map(rows.map((r) => [r.id, Number(r.n ?? 0)]));
}
