import path from 'node:path';
import { ConfigError, DEFAULT_PORTS, parseEnv, pemFromEnv, SUBGRAPH_NAMES, type SubgraphName } from '@hub/core';
import type { JSONWebKeySet } from 'jose';
import { z } from 'zod';

export interface GatewayConfig {
  /** Port of the public endpoint; 0 picks a free one (tests). Default 4000. */
  port: number;
  host: string;
  /** Where each subgraph answers. From `<NAME>_URL`; never from the composed supergraph file. */
  subgraphUrls: Record<SubgraphName, string>;
  /** A subgraph request that takes longer fails with SUBGRAPH_UNAVAILABLE. Default 10 s. */
  subgraphTimeoutMs: number;
  /** The statically composed supergraph. Default schema/supergraph.graphql in the repository. */
  supergraphPath: string;
  /** Introspection and field suggestions are on except in production. */
  production: boolean;
  logLevel: string;
  /** Who may sign callers' tokens, and for whom. */
  auth: AuthConfig;
  /** The gateway's Ed25519 private key (PEM): it signs the scope every subgraph request carries. */
  gatewayPrivateKey: string;
  /** How long a caller's worked-out scope (programs, partners, sharing agreements) is reused. Default 5 s. */
  accessScopeTtlMs: number;
  limits: OperationLimits;
  /**
   * Identical subgraph queries in flight at once (same caller scope, operation and variables)
   * share one request. Default on; off only to measure what it saves (SHARE_IDENTICAL_FETCHES=false).
   */
  shareIdenticalFetches?: boolean;
  /** The built dashboard served at /dashboard/. Default packages/dashboard/dist; when it holds no index.html, /dashboard/ answers 503 saying how to build it. */
  dashboardPath?: string;
  /** How often the partner-node registry is read again (it is also read after each registry mutation). Default 5 s. */
  partnerNodeRefreshMs?: number;
}

export interface AuthConfig {
  issuer: string;
  audience: string;
  /** Where the issuer publishes its keys... */
  jwksUrl?: string;
  /** ...or the key set itself (the embedded default). */
  jwks?: JSONWebKeySet;
}

/** Limits on one operation; anything over them is refused with HTTP 400 naming the limit. */
export interface OperationLimits {
  depth: number;
  aliases: number;
  directives: number;
  tokens: number;
  cost: number;
  /** Subscriptions one graphql-ws connection may hold at once. */
  subscriptionsPerConnection: number;
}

export const DEFAULT_LIMITS: OperationLimits = { depth: 12, aliases: 30, directives: 20, tokens: 2000, cost: 20000, subscriptionsPerConnection: 20 };

/** The national program dashboard (packages/dashboard, built by `npm run build`), served at /dashboard/. */
export const DASHBOARD_DIST_PATH = path.resolve(__dirname, '../../packages/dashboard/dist');
export const DEFAULT_SUPERGRAPH_PATH = path.resolve(__dirname, '../../schema/supergraph.graphql');

const envSchema = z.object({
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('127.0.0.1'),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(300000).default(10000),
  SUPERGRAPH_PATH: z.string().default(DEFAULT_SUPERGRAPH_PATH),
  DASHBOARD_PATH: z.string().default(DASHBOARD_DIST_PATH),
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.string().default('info'),
  PARTNERS_URL: z.string().url().optional(),
  FACILITATORS_URL: z.string().url().optional(),
  SESSIONS_URL: z.string().url().optional(),
  FEEDBACK_URL: z.string().url().optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).default('program-hub'),
  AUTH_JWKS_URL: z.string().url().optional(),
  AUTH_JWKS: z.string().min(1).optional(),
  HUB_GATEWAY_PRIVATE_KEY: z.string().min(1).optional(),
  ACCESS_SCOPE_TTL_MS: z.coerce.number().int().min(0).max(600000).default(5000),
  SHARE_IDENTICAL_FETCHES: z.enum(['true', 'false']).default('true'),
  PARTNER_NODE_REFRESH_MS: z.coerce.number().int().min(100).max(3600000).default(5000),
  MAX_DEPTH: z.coerce.number().int().min(1).default(DEFAULT_LIMITS.depth),
  MAX_ALIASES: z.coerce.number().int().min(0).default(DEFAULT_LIMITS.aliases),
  MAX_DIRECTIVES: z.coerce.number().int().min(0).default(DEFAULT_LIMITS.directives),
  MAX_TOKENS: z.coerce.number().int().min(10).default(DEFAULT_LIMITS.tokens),
  MAX_COST: z.coerce.number().int().min(1).default(DEFAULT_LIMITS.cost),
  MAX_SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().min(1).default(DEFAULT_LIMITS.subscriptionsPerConnection),
});

function parseJwks(text: string): JSONWebKeySet {
  try {
    const jwks = JSON.parse(text) as JSONWebKeySet;
    if (!Array.isArray(jwks.keys)) throw new Error('no keys');
    return jwks;
  } catch {
    throw new ConfigError('Invalid configuration:\n  AUTH_JWKS: must be a JSON Web Key Set ({"keys": [...]})');
  }
}

export function loadGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const e = parseEnv(envSchema, env);
  const urls = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [
      name,
      e[`${name.toUpperCase()}_URL` as 'PARTNERS_URL'] ?? `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`,
    ]),
  ) as Record<SubgraphName, string>;
  const missing = [
    !e.AUTH_ISSUER && 'AUTH_ISSUER',
    !e.AUTH_JWKS_URL && !e.AUTH_JWKS && 'AUTH_JWKS_URL or AUTH_JWKS',
    !e.HUB_GATEWAY_PRIVATE_KEY && 'HUB_GATEWAY_PRIVATE_KEY',
  ].filter(Boolean);
  if (missing.length) throw new ConfigError(`Missing configuration: set ${missing.join(', ')} (\`npm run keys\` makes a development set)`);
  return {
    port: e.GATEWAY_PORT,
    host: e.HOST,
    subgraphUrls: urls,
    subgraphTimeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    supergraphPath: e.SUPERGRAPH_PATH,
    dashboardPath: e.DASHBOARD_PATH,
    production: e.NODE_ENV === 'production',
    logLevel: e.LOG_LEVEL,
    auth: {
      issuer: e.AUTH_ISSUER as string,
      audience: e.AUTH_AUDIENCE,
      jwksUrl: e.AUTH_JWKS_URL,
      jwks: e.AUTH_JWKS ? parseJwks(e.AUTH_JWKS) : undefined,
    },
    gatewayPrivateKey: pemFromEnv(e.HUB_GATEWAY_PRIVATE_KEY as string),
    accessScopeTtlMs: e.ACCESS_SCOPE_TTL_MS,
    shareIdenticalFetches: e.SHARE_IDENTICAL_FETCHES === 'true',
    partnerNodeRefreshMs: e.PARTNER_NODE_REFRESH_MS,
    limits: {
      depth: e.MAX_DEPTH,
      aliases: e.MAX_ALIASES,
      directives: e.MAX_DIRECTIVES,
      tokens: e.MAX_TOKENS,
      cost: e.MAX_COST,
      subscriptionsPerConnection: e.MAX_SUBSCRIPTIONS_PER_CONNECTION,
    },
  };
}
