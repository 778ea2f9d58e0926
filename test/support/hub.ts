import { randomBytes } from 'node:crypto';
import { dropDatabase, SUBGRAPH_NAMES } from '@hub/core';
import { DEFAULT_LIMITS, DEFAULT_SUPERGRAPH_PATH, type GatewayConfig } from '@hub/gateway';
import { startHub, type Hub, type HubOptions, type TokenRequest } from '@hub/hub';
import { testServerUrl } from './database';
import { postGraphQL } from './graphql';

/** A signed-in caller of the test hub. */
export interface Caller {
  token: string;
  /** POSTs to the gateway over real HTTP with this caller's token. */
  query<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): ReturnType<typeof postGraphQL<T>>;
}

export interface TestHub extends Hub {
  /** POSTs to the gateway over real HTTP, with `token` when given. */
  query<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string): ReturnType<typeof postGraphQL<T>>;
  /** A caller holding a token from this hub's own issuer. */
  as(request: TokenRequest): Promise<Caller>;
}

/** All four subgraphs and the gateway on free ports, each subgraph on a fresh database. */
export async function startTestHub(options: Partial<HubOptions> = {}): Promise<TestHub> {
  const hub = await startHub({
    serverUrl: testServerUrl(),
    databasePrefix: `t_${randomBytes(4).toString('hex')}`,
    gatewayPort: 0,
    subgraphTimeoutMs: 5000,
    poolSize: 4,
    logLevel: (process.env.HUB_LOG_LEVEL as 'silent') ?? 'silent',
    // registry changes arrive through this gateway's own mutations, which re-read it at once; a
    // timed re-read would add statements to the partners subgraph at random moments
    partnerNodeRefreshMs: 600_000,
    ...options,
  });
  const query: TestHub['query'] = (q, variables, token) =>
    postGraphQL(hub.gatewayUrl, q, variables, token ? { authorization: `Bearer ${token}` } : {});
  return {
    ...hub,
    query,
    async as(request) {
      const token = await hub.token(request);
      return { token, query: (q, variables) => query(q, variables, token) };
    },
    async stop() {
      await hub.stop();
      await Promise.all(SUBGRAPH_NAMES.map((n) => dropDatabase(hub.configs[n].databaseUrl)));
    },
  };
}

/** Config for a second gateway in front of `hub`'s subgraphs and trusting its keys (tests of gateway settings). */
export function gatewayConfigFor(hub: Hub, overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    subgraphUrls: Object.fromEntries(Object.entries(hub.subgraphs).map(([n, s]) => [n, s.url()])) as GatewayConfig['subgraphUrls'],
    subgraphTimeoutMs: 5000,
    supergraphPath: DEFAULT_SUPERGRAPH_PATH,
    production: false,
    logLevel: (process.env.HUB_LOG_LEVEL as 'silent') ?? 'silent',
    auth: { issuer: hub.keys.issuer, audience: hub.keys.audience, jwks: hub.keys.jwks },
    gatewayPrivateKey: hub.keys.gateway.privateKey,
    accessScopeTtlMs: 5000,
    limits: DEFAULT_LIMITS,
    partnerNodeRefreshMs: 600_000,
    ...overrides,
  };
}
