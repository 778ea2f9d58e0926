import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { readableOrganisations, type AccessScope } from './access';

/**
 * Keeps a query to rows of the organisations the caller may read: the first wall, in code;
 * row-level security is the second. `column` is the SQL expression of the row's owning organisation.
 */
export function withinWall<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, scope: AccessScope, column: string): SelectQueryBuilder<T> {
  const wall = readableOrganisations(scope);
  return wall ? qb.andWhere(`${column} = ANY (CAST(:wallOrganisations AS text[]))`, { wallOrganisations: wall }) : qb;
}
