import { Client } from 'pg';
import { DataSource, type Logger as OrmLogger, type MixedList, type EntitySchema } from 'typeorm';
import type { Logger } from './logger';

/**
 * Counts every SQL statement a data source sends. Tests read it to prove that the number of
 * statements per request does not grow with the size of a list (DataLoader batching).
 */
export class StatementCounter implements OrmLogger {
  count = 0;
  constructor(private readonly logger?: Logger) {}
  logQuery(): void {
    this.count++;
  }
  logQueryError(error: string | Error, query: string): void {
    this.count++;
    this.logger?.debug({ err: error, query }, 'query failed');
  }
  logQuerySlow(time: number, query: string): void {
    this.logger?.warn({ time, query: query.slice(0, 500) }, 'slow query');
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    this.logger?.info(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger?.warn(String(message));
  }
}

export interface DataSourceOptions {
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  logger?: Logger;
}

export interface HubDataSource {
  dataSource: DataSource;
  statements: StatementCounter;
}

/** A TypeORM data source for one subgraph's own database. Schema changes only by migrations. */
export function createDataSource(options: DataSourceOptions): HubDataSource {
  const statements = new StatementCounter(options.logger);
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: true,
    logger: statements,
    maxQueryExecutionTime: 1000,
    // JIT compilation off: a subgraph's statements are short aggregates over indexes, where
    // compiling costs more than it saves (400 ms of a 1.3 s national count at scale 10).
    extra: { max: options.poolSize ?? 10, options: '-c jit=off' },
  });
  return { dataSource, statements };
}

/** Creates the database named in `url` on its server when it does not exist yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((e: { code?: string }) => {
        // Another process created it between our check and our create.
        if (e.code !== '42P04' && e.code !== '23505') throw e;
      });
    }
  } finally {
    await client.end();
  }
}

/** Drops the database named in `url` (tests clean up after themselves). */
export async function dropDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** A login role for requests: it owns no table, so row-level security applies to it. */
export interface AppRole {
  name: string;
  password: string;
}

/** `url` with the user and password of `role`: where a service's requests connect. */
export function withAppRole(url: string, role: AppRole): string {
  const u = new URL(url);
  u.username = encodeURIComponent(role.name);
  u.password = encodeURIComponent(role.password);
  return u.toString();
}

const ALREADY_EXISTS = new Set(['42710', '23505']);

/**
 * Creates the request role when it does not exist (roles belong to the server, so every subgraph
 * and replica shares it) and grants it the data of the database the owner connection is on: rows
 * only, never the schema or the migrations table.
 */
export async function ensureAppRole(owner: DataSource, role: AppRole): Promise<void> {
  const runner = owner.createQueryRunner();
  try {
    const found = (await runner.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role.name])) as unknown[];
    const ident = `"${role.name.replace(/"/g, '""')}"`;
    if (found.length === 0) {
      const literal = `'${role.password.replace(/'/g, "''")}'`;
      await runner.query(`CREATE ROLE ${ident} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD ${literal}`).catch((e: { code?: string }) => {
        if (!ALREADY_EXISTS.has(e.code ?? '')) throw e;
      });
    }
    const grant = async () => {
      await runner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${ident}`);
      await runner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${ident}`);
      await runner.query(`REVOKE ALL ON TABLE migrations FROM ${ident}`);
    };
    // replicas starting together can collide on the catalog ("tuple concurrently updated"): once more
    await grant().catch(() => grant());
  } finally {
    await runner.release();
  }
}
