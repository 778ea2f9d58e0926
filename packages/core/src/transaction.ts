import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs a write in one transaction: either everything it does is saved or, when it throws,
 * nothing is and the previous state stays.
 */
export function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction('READ COMMITTED', work);
}
