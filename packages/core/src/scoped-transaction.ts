import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { writableOrganisations, type AccessScope } from './access';

/**
 * Statements every request spends on its transaction besides its own work: START TRANSACTION,
 * the scope's set_config and COMMIT. Tests that count statements add this.
 */
export const SCOPE_STATEMENTS = 3;

const SET_SCOPE = `SELECT set_config('hub.role', $1, true), set_config('hub.org', $2, true),
  set_config('hub.orgs', $3, true), set_config('hub.write_orgs', $4, true),
  set_config('hub.programs', $5, true), set_config('hub.facilitator', $6, true),
  set_config('hub.subject', $7, true)`;

/**
 * One request's database work: a transaction on one pooled connection whose row-level-security
 * settings are the caller's scope. `set_config(..., true)` lasts until the transaction ends, so
 * nothing of this caller is left on the connection for the next request.
 */
export interface ScopedTransaction {
  manager: EntityManager;
  /** Commits (or, when a statement failed, rolls back) and gives the connection back. */
  finish(): Promise<void>;
  /** Rolls back and gives the connection back. */
  abandon(): Promise<void>;
}

export async function openScopedTransaction(dataSource: DataSource, scope: AccessScope): Promise<ScopedTransaction> {
  const runner: QueryRunner = dataSource.createQueryRunner();
  queueQueries(runner);
  try {
    await runner.startTransaction();
    await runner.query(SET_SCOPE, [
      scope.role,
      scope.organisation ?? '',
      scope.organisations.join(','),
      writableOrganisations(scope).join(','),
      scope.programs.join(','),
      scope.facilitator ?? '',
      scope.subject,
    ]);
  } catch (error) {
    await runner.release();
    throw error;
  }
  let done = false;
  const end = async (commit: boolean) => {
    if (done) return;
    done = true;
    try {
      if (runner.isTransactionActive) {
        if (commit) await runner.commitTransaction();
        else await runner.rollbackTransaction();
      }
    } finally {
      await runner.release();
    }
  };
  return { manager: runner.manager, finish: () => end(true), abandon: () => end(false) };
}

/**
 * A request's DataLoader batches run at the same time on its one connection; pg wants one query
 * at a time per client (a second one is deprecated, and an error from pg 9), so they queue here.
 */
function queueQueries(runner: QueryRunner): void {
  const query = runner.query.bind(runner);
  let tail: Promise<unknown> = Promise.resolve();
  runner.query = ((...args: Parameters<QueryRunner['query']>) => {
    const next = tail.then(() => query(...args));
    tail = next.catch(() => undefined);
    return next;
  }) as QueryRunner['query'];
}

/** Runs `work` in one transaction under `scope`: committed when it returns, rolled back when it throws. */
export async function withScope<T>(dataSource: DataSource, scope: AccessScope, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const tx = await openScopedTransaction(dataSource, scope);
  let result: T;
  try {
    result = await work(tx.manager);
  } catch (error) {
    await tx.abandon();
    throw error;
  }
  await tx.finish();
  return result;
}
