import type DataLoader from 'dataloader';
import type { ObjectLiteral } from 'typeorm';
import { countBy } from './count-by';
import { aggregateLoader, type AggregateKey } from './loaders';
import type { RowsOfParents } from './paginate-each';

/**
 * A loader of how many rows each parent has (the totalCount beside `paginateEach`, or a count
 * field): one GROUP BY statement for all parents asked with the same filter. `aggregate` replaces
 * the count with another value per parent, e.g. a sum.
 */
export function countEach<F>(rows: RowsOfParents<F, ObjectLiteral>, aggregate?: string): DataLoader<AggregateKey<F>, number, string> {
  return aggregateLoader((ids: string[], filter: F) => countBy(rows.query(ids, filter), rows.parent, aggregate), 0);
}
