import { readFileSync } from 'node:fs';
import {
  ConfigError,
  DEV_APP_PASSWORD,
  ORGANISATION_KEY,
  parseEnv,
  pemFromEnv,
  withAppRole,
  withDatabase,
  type AppRole,
  type SharedDetail,
  type SubgraphConfig,
} from '@hub/core';
import { z } from 'zod';
import { NODE_SUBGRAPHS, type NodeSubgraph } from './organisation-tables';

/** One organisation's partner node, read once from its config file (docs/partner-nodes.md). */
export interface PartnerNodeConfig {
  /** The organisation whose records the node holds, e.g. `riverbend`. */
  organisation: string;
  host: string;
  /** Where each subgraph listens; 0 picks a free port (tests). Default 4201–4203. */
  ports: Record<NodeSubgraph, number>;
  /** Each subgraph's own database, as the role that owns its tables. */
  databaseUrls: Record<NodeSubgraph, string>;
  /** The role requests connect as (row-level security applies to it). */
  appRole: AppRole;
  /** The hub gateway keys (Ed25519 public, PEM) the node accepts scopes from; remove one to revoke it. */
  trustedHubKeys: string[];
  /**
   * The organisation's own sharing agreement: a detail it does not share never leaves the node,
   * whatever the hub asks. With `"sharing": "hub"` in the file every detail is open here, so the
   * agreement its admins keep at the hub (setSharingAgreement, carried by the hub's signed scope)
   * decides alone.
   */
  sharing: Record<SharedDetail, boolean>;
  poolSize: number;
  migrate: boolean;
  logLevel: string;
}

const url = z.string().url();
const fileSchema = z.object({
  organisation: z.string().regex(ORGANISATION_KEY, 'must be an organisation key (2 to 32 lowercase letters, digits or dashes)'),
  host: z.string().optional(),
  ports: z
    .object({
      facilitators: z.number().int().min(0).max(65535).default(4201),
      sessions: z.number().int().min(0).max(65535).default(4202),
      feedback: z.number().int().min(0).max(65535).default(4203),
    })
    .default({ facilitators: 4201, sessions: 4202, feedback: 4203 }),
  databaseUrl: url.optional(),
  databases: z.object({ facilitators: url.optional(), sessions: url.optional(), feedback: url.optional() }).default({}),
  trustedHubKeys: z.array(z.string().min(1)).default([]),
  sharing: z
    .union([
      z.literal('hub'),
      z.object({
        facilitatorContacts: z.boolean().default(false),
        sessionDetails: z.boolean().default(false),
        engagementPlans: z.boolean().default(false),
      }),
    ])
    .default({ facilitatorContacts: false, sessionDetails: false, engagementPlans: false }),
  poolSize: z.number().int().min(1).max(200).default(10),
  migrate: z.boolean().default(true),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Secrets and the server stay out of the file when the environment gives them. */
const envSchema = z.object({
  DATABASE_URL: url.optional(),
  DATABASE_APP_ROLE: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/).default('hub_app'),
  DATABASE_APP_PASSWORD: z.string().min(8).optional(),
  /** Trusted in addition to the file's keys (the variable the hub's own subgraphs trust). */
  HUB_GATEWAY_PUBLIC_KEY: z.string().min(1).optional(),
  /** Where the services listen when the file does not say (e.g. 0.0.0.0 in a container). */
  HOST: z.string().min(1).optional(),
  NODE_ENV: z.string().default('development'),
});

export type PartnerNodeFile = z.input<typeof fileSchema>;

/** Validates a node's config (the parsed file) with the environment; every problem is named. */
export function parsePartnerNodeConfig(file: unknown, env: Record<string, string | undefined> = process.env): PartnerNodeConfig {
  const parsed = fileSchema.safeParse(file);
  if (!parsed.success) {
    throw new ConfigError(`Invalid partner node config:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const c = parsed.data;
  const e = parseEnv(envSchema, env);
  const server = c.databaseUrl ?? e.DATABASE_URL;
  const databaseUrls = {} as Record<NodeSubgraph, string>;
  for (const name of NODE_SUBGRAPHS) {
    const own = c.databases[name] ?? (server ? withDatabase(server, `node_${c.organisation.replace(/-/g, '_')}_${name}`) : undefined);
    if (!own) throw new ConfigError(`Missing configuration: set databaseUrl (or databases.${name}) in the node config, or DATABASE_URL`);
    databaseUrls[name] = own;
  }
  const trustedHubKeys = [...new Set([...c.trustedHubKeys, ...(e.HUB_GATEWAY_PUBLIC_KEY ? [e.HUB_GATEWAY_PUBLIC_KEY] : [])].map(pemFromEnv))];
  if (trustedHubKeys.length === 0) {
    throw new ConfigError('Invalid partner node config:\n  trustedHubKeys: must list at least one hub key (HUB_GATEWAY_PUBLIC_KEY of the hub), in the file or in HUB_GATEWAY_PUBLIC_KEY');
  }
  if (e.NODE_ENV === 'production' && !e.DATABASE_APP_PASSWORD) throw new ConfigError('Missing configuration: set DATABASE_APP_PASSWORD in production');
  return {
    organisation: c.organisation,
    host: c.host ?? e.HOST ?? '127.0.0.1',
    ports: c.ports,
    databaseUrls,
    appRole: { name: e.DATABASE_APP_ROLE, password: e.DATABASE_APP_PASSWORD ?? DEV_APP_PASSWORD },
    trustedHubKeys,
    // "hub": the agreement the organisation's admins keep with setSharingAgreement, which the hub's signed scope carries
    sharing:
      c.sharing === 'hub'
        ? { contacts: true, sessions: true, engagements: true }
        : { contacts: c.sharing.facilitatorContacts, sessions: c.sharing.sessionDetails, engagements: c.sharing.engagementPlans },
    poolSize: c.poolSize,
    migrate: c.migrate,
    logLevel: c.logLevel,
  };
}

export function loadPartnerNodeConfig(path: string, env: Record<string, string | undefined> = process.env): PartnerNodeConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`Cannot read the partner node config ${path}`);
  }
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    throw new ConfigError(`The partner node config ${path} is not JSON`);
  }
  return parsePartnerNodeConfig(file, env);
}

/** The config of one of the node's subgraphs: the hub's own service, bound to the organisation. */
export function nodeSubgraphConfig(config: PartnerNodeConfig, name: NodeSubgraph): SubgraphConfig {
  return {
    name,
    port: config.ports[name],
    host: config.host,
    databaseUrl: config.databaseUrls[name],
    appDatabaseUrl: withAppRole(config.databaseUrls[name], config.appRole),
    appRole: config.appRole,
    gatewayPublicKey: config.trustedHubKeys,
    node: { organisation: config.organisation, sharing: config.sharing },
    poolSize: config.poolSize,
    migrate: config.migrate,
    logLevel: config.logLevel,
  };
}
