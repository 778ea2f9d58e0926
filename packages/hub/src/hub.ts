import { DEV_APP_PASSWORD, SUBGRAPH_NAMES, withAppRole, withDatabase, databaseNameFor, type AppRole, type Subgraph, type SubgraphConfig, type SubgraphName } from '@hub/core';
import { createFacilitatorsSubgraph } from '@hub/facilitators';
import { createFeedbackSubgraph } from '@hub/feedback';
import { createGateway, DEFAULT_LIMITS, DEFAULT_SUPERGRAPH_PATH, type Gateway, type OperationLimits } from '@hub/gateway';
import { createPartnersSubgraph } from '@hub/partners';
import { createSessionsSubgraph } from '@hub/sessions';
import { createHubKeys, mintToken, type HubKeys, type TokenRequest } from './hub-keys';

export const SUBGRAPH_FACTORIES: Record<SubgraphName, (config: SubgraphConfig) => Promise<Subgraph>> = {
  partners: createPartnersSubgraph,
  facilitators: createFacilitatorsSubgraph,
  sessions: createSessionsSubgraph,
  feedback: createFeedbackSubgraph,
};

export interface HubOptions {
  /** A PostgreSQL server; each subgraph gets its own database `<databasePrefix>_<name>` on it. */
  serverUrl: string;
  /** Default `hub`. Tests use a unique prefix per run. */
  databasePrefix?: string;
  host?: string;
  /** Gateway port; 0 for any free port. Default 4000. */
  gatewayPort?: number;
  /** Subgraph ports; 0 for any free port. */
  subgraphPorts?: Partial<Record<SubgraphName, number>>;
  subgraphTimeoutMs?: number;
  poolSize?: number;
  logLevel?: string;
  production?: boolean;
  /** Token issuer and gateway keys. Default: a fresh set, so the hub is its own issuer. */
  keys?: HubKeys;
  /** The role requests connect as. Default `hub_app` with the development password. */
  appRole?: AppRole;
  accessScopeTtlMs?: number;
  limits?: Partial<OperationLimits>;
  /** Identical subgraph queries in flight share one request. Default true (the benchmark turns it off to compare). */
  shareIdenticalFetches?: boolean;
  /** How often the gateway re-reads the partner-node registry (it also does after each registry mutation through it). Default 5 s. */
  partnerNodeRefreshMs?: number;
}

export interface Hub {
  gatewayUrl: string;
  gateway: Gateway;
  subgraphs: Record<SubgraphName, Subgraph>;
  configs: Record<SubgraphName, SubgraphConfig>;
  keys: HubKeys;
  /** A caller's token from this hub's own issuer (development and tests). */
  token(request: TokenRequest): Promise<string>;
  /** Stops one subgraph (to see how the gateway copes); `startSubgraph` brings it back on the same port. */
  stopSubgraph(name: SubgraphName): Promise<void>;
  startSubgraph(name: SubgraphName): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The whole hub in one process: the four subgraphs, each on its own database, and the gateway in
 * front of them. Used by `npm start` and by the end-to-end tests; production runs each service
 * from its own `main.ts` (see docker-compose.yml).
 */
export async function startHub(options: HubOptions): Promise<Hub> {
  const host = options.host ?? '127.0.0.1';
  const logLevel = options.logLevel ?? 'warn';
  const keys = options.keys ?? (await createHubKeys());
  const appRole = options.appRole ?? { name: 'hub_app', password: DEV_APP_PASSWORD };
  const configs = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [
      name,
      {
        name,
        host,
        port: options.subgraphPorts?.[name] ?? 0,
        databaseUrl: withDatabase(options.serverUrl, databaseNameFor(name, options.databasePrefix)),
        appDatabaseUrl: withAppRole(withDatabase(options.serverUrl, databaseNameFor(name, options.databasePrefix)), appRole),
        appRole,
        gatewayPublicKey: keys.gateway.publicKey,
        poolSize: options.poolSize ?? 10,
        migrate: true,
        logLevel,
      } satisfies SubgraphConfig,
    ]),
  ) as Record<SubgraphName, SubgraphConfig>;

  const subgraphs = {} as Record<SubgraphName, Subgraph>;
  const urls = {} as Record<SubgraphName, string>;
  const started: Subgraph[] = [];
  let gateway: Gateway | undefined;
  try {
    for (const name of SUBGRAPH_NAMES) {
      const subgraph = await SUBGRAPH_FACTORIES[name](configs[name]);
      started.push(subgraph);
      subgraphs[name] = subgraph;
      urls[name] = await subgraph.listen();
      // keep the port so a restarted subgraph is found where the gateway expects it
      configs[name].port = Number(new URL(urls[name]).port);
    }
    gateway = await createGateway({
      port: options.gatewayPort ?? 4000,
      host,
      subgraphUrls: urls,
      subgraphTimeoutMs: options.subgraphTimeoutMs ?? 10000,
      supergraphPath: DEFAULT_SUPERGRAPH_PATH,
      production: options.production ?? false,
      logLevel,
      auth: { issuer: keys.issuer, audience: keys.audience, jwks: keys.jwks },
      gatewayPrivateKey: keys.gateway.privateKey,
      accessScopeTtlMs: options.accessScopeTtlMs ?? 5000,
      shareIdenticalFetches: options.shareIdenticalFetches ?? true,
      limits: { ...DEFAULT_LIMITS, ...options.limits },
      partnerNodeRefreshMs: options.partnerNodeRefreshMs,
    });
    const gatewayUrl = await gateway.listen();
    const running = gateway;
    return {
      gatewayUrl,
      gateway: running,
      subgraphs,
      configs,
      keys,
      token: (request) => mintToken(keys, request),
      async stopSubgraph(name) {
        await subgraphs[name].stop();
      },
      async startSubgraph(name) {
        subgraphs[name] = await SUBGRAPH_FACTORIES[name](configs[name]);
        await subgraphs[name].listen(configs[name].port);
      },
      async stop() {
        await running.stop();
        await Promise.all(SUBGRAPH_NAMES.map((n) => subgraphs[n].stop()));
      },
    };
  } catch (error) {
    await gateway?.stop().catch(() => undefined);
    await Promise.all(started.map((s) => s.stop().catch(() => undefined)));
    throw error;
  }
}
