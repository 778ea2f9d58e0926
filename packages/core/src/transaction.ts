import type { EntityManager } from 'typeorm';

/**
 * Runs a write as one unit: either everything it does is saved or, when it throws, nothing is and
 * the previous state stays. Inside a request's scoped transaction this is a savepoint, so a
 * failed mutation leaves the other fields of the same operation untouched.
 */
export function inTransaction<T>(db: EntityManager, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return db.transaction(work);
}
