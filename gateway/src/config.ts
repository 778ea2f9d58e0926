import path from 'node:path';
import { DEFAULT_PORTS, parseEnv, SUBGRAPH_NAMES, type SubgraphName } from '@hub/core';
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
  /** Introspection is on except in production. */
  production: boolean;
  logLevel: string;
}

export const DEFAULT_SUPERGRAPH_PATH = path.resolve(__dirname, '../../schema/supergraph.graphql');

const envSchema = z.object({
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('127.0.0.1'),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(300000).default(10000),
  SUPERGRAPH_PATH: z.string().default(DEFAULT_SUPERGRAPH_PATH),
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.string().default('info'),
  PARTNERS_URL: z.string().url().optional(),
  FACILITATORS_URL: z.string().url().optional(),
  SESSIONS_URL: z.string().url().optional(),
  FEEDBACK_URL: z.string().url().optional(),
});

export function loadGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const e = parseEnv(envSchema, env);
  const urls = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [
      name,
      e[`${name.toUpperCase()}_URL` as 'PARTNERS_URL'] ?? `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`,
    ]),
  ) as Record<SubgraphName, string>;
  return {
    port: e.GATEWAY_PORT,
    host: e.HOST,
    subgraphUrls: urls,
    subgraphTimeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    supergraphPath: e.SUPERGRAPH_PATH,
    production: e.NODE_ENV === 'production',
    logLevel: e.LOG_LEVEL,
  };
}
