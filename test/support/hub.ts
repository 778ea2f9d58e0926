import { randomBytes } from 'node:crypto';
import { dropDatabase, SUBGRAPH_NAMES } from '@hub/core';
import { startHub, type Hub } from '@hub/hub';
import { testServerUrl } from './database';
import { postGraphQL } from './graphql';

export interface TestHub extends Hub {
  /** POSTs to the gateway over real HTTP. */
  query<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): ReturnType<typeof postGraphQL<T>>;
}

/** All four subgraphs and the gateway on free ports, each subgraph on a fresh database. */
export async function startTestHub(): Promise<TestHub> {
  const hub = await startHub({
    serverUrl: testServerUrl(),
    databasePrefix: `t_${randomBytes(4).toString('hex')}`,
    gatewayPort: 0,
    subgraphTimeoutMs: 5000,
    poolSize: 4,
    logLevel: 'silent',
  });
  return {
    ...hub,
    query: (query, variables) => postGraphQL(hub.gatewayUrl, query, variables),
    async stop() {
      await hub.stop();
      await Promise.all(SUBGRAPH_NAMES.map((n) => dropDatabase(hub.configs[n].databaseUrl)));
    },
  };
}
