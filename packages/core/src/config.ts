import { z } from 'zod';
import type { SharedDetail } from './access';
import { withAppRole, type AppRole } from './database';

/** The four subgraphs, in the order they are started and composed. */
export const SUBGRAPH_NAMES = ['partners', 'facilitators', 'sessions', 'feedback'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** The subgraphs an organisation may run on its own partner node (docs/partner-nodes.md). */
export const NODE_SUBGRAPH_NAMES = ['facilitators', 'sessions', 'feedback'] as const satisfies readonly SubgraphName[];
export type NodeSubgraphName = (typeof NODE_SUBGRAPH_NAMES)[number];

export interface SubgraphConfig {
  name: SubgraphName;
  /** Port to listen on; 0 picks a free one (tests). */
  port: number;
  host: string;
  /** Connection string of this subgraph's own database, as the role that owns its tables (migrations, seeds). */
  databaseUrl: string;
  /** Where requests connect: a role that owns no table, so row-level security applies to every query. */
  appDatabaseUrl: string;
  /** When set, the service creates this login role if missing and grants it the tables at start. */
  appRole: AppRole | null;
  /**
   * The gateway's Ed25519 public key (PEM): requests without a scope it signed are refused. A
   * partner node lists every hub key it trusts; taking one out revokes that hub's access.
   */
  gatewayPublicKey: string | readonly string[];
  /** Set when this subgraph runs on one organisation's partner node (docs/partner-nodes.md). */
  node?: PartnerNodeScope;
  /** Connections in this service's pool. Default 10. */
  poolSize: number;
  /** Run pending migrations at start. Default true. */
  migrate: boolean;
  logLevel: string;
}

/** What a partner node applies to every scope it receives, whatever the hub says. */
export interface PartnerNodeScope {
  /** The organisation whose records the node holds; scopes for other audiences are refused. */
  organisation: string;
  /** The organisation's own sharing agreement: a detail it does not share never leaves the node. */
  sharing: Record<SharedDetail, boolean>;
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
  NODE_ENV: z.string().default('development'),
  APP_DATABASE_URL: z.string().url().optional(),
  DATABASE_APP_ROLE: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/).default('hub_app'),
  DATABASE_APP_PASSWORD: z.string().min(8).optional(),
  HUB_GATEWAY_PUBLIC_KEY: z.string().min(1).optional(),
});

/** The request role's password when none is configured outside production (a development default). */
export const DEV_APP_PASSWORD = 'hub-app-development';

/** PEM keys often arrive through env files with their newlines written as `\n`. */
export function pemFromEnv(value: string): string {
  return value.includes('\\n') ? value.replace(/\\n/g, '\n') : value;
}

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
  if (!base.HUB_GATEWAY_PUBLIC_KEY) {
    throw new ConfigError('Missing configuration: set HUB_GATEWAY_PUBLIC_KEY (the gateway\'s Ed25519 public key, PEM; `npm run keys` makes a pair)');
  }
  const production = base.NODE_ENV === 'production';
  const ownApp = env[`${name.toUpperCase()}_APP_DATABASE_URL`] || base.APP_DATABASE_URL;
  if (!ownApp && production && !base.DATABASE_APP_PASSWORD) {
    throw new ConfigError('Missing configuration: set DATABASE_APP_PASSWORD (or APP_DATABASE_URL) in production');
  }
  const appRole = ownApp ? null : { name: base.DATABASE_APP_ROLE, password: base.DATABASE_APP_PASSWORD ?? DEV_APP_PASSWORD };
  return {
    name,
    port: base.PORT ?? DEFAULT_PORTS[name],
    host: base.HOST,
    databaseUrl,
    appDatabaseUrl: ownApp ?? withAppRole(databaseUrl, appRole as AppRole),
    appRole,
    gatewayPublicKey: pemFromEnv(base.HUB_GATEWAY_PUBLIC_KEY),
    poolSize: base.DB_POOL_SIZE,
    migrate: base.MIGRATE === 'true',
    logLevel: base.LOG_LEVEL,
  };
}

export { DEFAULT_PORTS };
