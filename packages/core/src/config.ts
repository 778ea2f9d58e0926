import { z } from 'zod';

/** The four subgraphs, in the order they are started and composed. */
export const SUBGRAPH_NAMES = ['partners', 'facilitators', 'sessions', 'feedback'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

export interface SubgraphConfig {
  name: SubgraphName;
  /** Port to listen on; 0 picks a free one (tests). */
  port: number;
  host: string;
  /** Connection string of this subgraph's own database. */
  databaseUrl: string;
  /** Connections in this service's pool. Default 10. */
  poolSize: number;
  /** Run pending migrations at start. Default true. */
  migrate: boolean;
  logLevel: string;
}

const DEFAULT_PORTS: Record<SubgraphName, number> = {
  partners: 4101,
  facilitators: 4102,
  sessions: 4103,
  feedback: 4104,
};

const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  MIGRATE: z.enum(['true', 'false']).default('true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export class ConfigError extends Error {}

/** An empty variable counts as unset, as shells and compose files often leave them. */
export function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}

/** Reads environment variables through a schema, once, at the edge; every bad variable is named. */
export function parseEnv<T extends z.ZodTypeAny>(schema: T, env: Record<string, string | undefined>): z.infer<T> {
  const result = schema.safeParse(withoutEmpty(env));
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** `postgres://…/x` with the database name replaced. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The database a subgraph uses on a shared server: `hub_<name>` unless a prefix is given. */
export function databaseNameFor(name: SubgraphName, prefix = 'hub'): string {
  return `${prefix}_${name}`;
}

/**
 * Reads one subgraph's configuration from the environment.
 * `<NAME>_DATABASE_URL` (e.g. SESSIONS_DATABASE_URL) wins; otherwise DATABASE_URL names the
 * server and the subgraph uses its own database `hub_<name>` on it.
 */
export function loadSubgraphConfig(name: SubgraphName, env: Record<string, string | undefined> = process.env): SubgraphConfig {
  const base = parseEnv(envSchema, env);
  const own = env[`${name.toUpperCase()}_DATABASE_URL`] || undefined;
  const databaseUrl = own ?? (base.DATABASE_URL ? withDatabase(base.DATABASE_URL, databaseNameFor(name)) : undefined);
  if (!databaseUrl) {
    throw new ConfigError(`Missing configuration: set ${name.toUpperCase()}_DATABASE_URL or DATABASE_URL`);
  }
  return {
    name,
    port: base.PORT ?? DEFAULT_PORTS[name],
    host: base.HOST,
    databaseUrl,
    poolSize: base.DB_POOL_SIZE,
    migrate: base.MIGRATE === 'true',
    logLevel: base.LOG_LEVEL,
  };
}

export { DEFAULT_PORTS };
