import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { createLogger, NODE_SUBGRAPH_NAMES, ScopeSigner, SUBGRAPH_NAMES, toClientError, type NodeSubgraphName, type SubgraphName } from '@hub/core';
import express from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { AccessScopes } from './access-scopes';
import { CallerTokens } from './caller-tokens';
import { DASHBOARD_DIST_PATH, type GatewayConfig } from './config';
import type { GatewayContext } from './gateway-context';
import { changesRegistry, NodeRegistry } from './node-registry';
import { operationLimitRules } from './operation-limits';
import { PartnerRoutingDataSource, subscriptionTargets } from './partner-routing';
import { partnerReportHandler } from './partner-report';
import { SubgraphDataSource } from './subgraph-data-source';
import { SubscriptionPlanner } from './subscription-plans';
import { serveGatewaySubscriptions } from './subscription-server';
import { UpstreamSubscriptions } from './upstream-subscriptions';

export interface Gateway {
  server: ApolloServer<GatewayContext>;
  /** Live counts of the graphql-ws side (tests and the benchmark read them). */
  subscriptions: {
    /** Client connections. */
    readonly clientCount: number;
    /** Distinct subscriptions held for clients; each is one upstream subscription. */
    readonly sharedCount: number;
    readonly upstreamCount: number;
    readonly upstreamConnections: number;
  };
  /** Starts listening; resolves to the public GraphQL URL. */
  listen(port?: number): Promise<string>;
  url(): string;
  stop(): Promise<void>;
}


const URL_PATTERN = /\bhttps?:\/\/[^\s"')]+/g;

/** What the gateway lets out: known codes with their fields, no URLs, SQL or stacks. */
export function formatGatewayError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const safe = toClientError(formatted, error);
  const { serviceName, code, fields, limit, organisation } = (safe.extensions ?? {}) as Record<string, unknown>;
  return {
    message: safe.message.replace(URL_PATTERN, '[internal]'),
    locations: safe.locations,
    path: safe.path,
    extensions: { code, ...(fields ? { fields } : {}), ...(serviceName ? { serviceName } : {}), ...(limit ? { limit } : {}), ...(organisation ? { organisation } : {}) },
  };
}

async function subgraphReady(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const res = await fetch(new URL('/health/ready', url), { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * The public endpoint: `@apollo/gateway` on `@apollo/server`, serving the statically composed
 * supergraph, routing to the subgraph URLs from config.
 */
export async function createGateway(config: GatewayConfig): Promise<Gateway> {
  const log = createLogger('gateway', config.logLevel);
  const signer = new ScopeSigner(config.gatewayPrivateKey);
  const callers = new CallerTokens(config.auth);
  const scopes = new AccessScopes(() => config.subgraphUrls.partners, signer, config.subgraphTimeoutMs, config.accessScopeTtlMs);
  const supergraphSdl = readFileSync(config.supergraphPath, 'utf8');
  const registry = new NodeRegistry(() => config.subgraphUrls.partners, signer, config.subgraphTimeoutMs, config.partnerNodeRefreshMs ?? 5000, log);
  const dataSources = new Map<string, GraphQLDataSource<GatewayContext>>();
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) => {
      const url = config.subgraphUrls[name as SubgraphName];
      if (!url) throw new Error(`The supergraph names a subgraph "${name}" with no configured URL`);
      const hub = new SubgraphDataSource(name, url, config.subgraphTimeoutMs, config.shareIdenticalFetches ?? true);
      // facilitators, sessions and feedback may be partner-hosted: their entity fetches are routed by owner
      const source = NODE_SUBGRAPH_NAMES.includes(name as NodeSubgraphName) ? new PartnerRoutingDataSource(name as NodeSubgraphName, hub, registry, signer) : hub;
      dataSources.set(name, source);
      return source;
    },
    logger: log,
  });
  const app = express();
  const httpServer = http.createServer(app);
  const server = new ApolloServer<GatewayContext>({
    gateway,
    formatError: formatGatewayError,
    includeStacktraceInErrorResponses: false,
    introspection: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    validationRules: operationLimitRules(config.limits),
    parseOptions: { maxTokens: config.limits.tokens },
    csrfPrevention: true,
    // shutdown is ours (main.ts / npm start): services drain before their databases close
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      {
        // a mutation may have changed a sharing agreement, a program's partners or where a partner's data is hosted
        async requestDidStart() {
          return {
            async willSendResponse({ operation }) {
              if (operation?.operation === 'mutation') scopes.clear();
              if (operation && changesRegistry(operation)) await registry.refresh();
            },
          };
        },
      },
    ],
  });
  await server.start();
  await registry.start();

  const planner = new SubscriptionPlanner(supergraphSdl, () => Object.fromEntries(dataSources));
  const upstream = new UpstreamSubscriptions(() => config.subgraphUrls, signer, (fetch, scope) => subscriptionTargets(registry, fetch, scope));
  registry.onChange(() => upstream.retarget());
  const subscriptions = serveGatewaySubscriptions({
    httpServer,
    path: '/graphql',
    planner,
    upstream,
    callers,
    scopes,
    signer,
    limits: config.limits,
    maxSubscriptionsPerConnection: config.limits.subscriptionsPerConnection,
    formatError: formatGatewayError,
    log,
  });

  let stopping = false;
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    const checks = await Promise.all(SUBGRAPH_NAMES.map(async (name) => [name, await subgraphReady(config.subgraphUrls[name], 2000)] as const));
    const unavailable = checks.filter(([, ok]) => !ok).map(([name]) => name);
    if (stopping || unavailable.length) res.status(503).json({ status: stopping ? 'stopping' : 'degraded', unavailable });
    else res.json({ status: 'ready' });
  });
  app.get('/export/partner-report.csv', partnerReportHandler(server, callers, scopes, signer));
  // the dashboard: static files, any other page path answered by its index.html (the app routes itself)
  const dashboardPath = config.dashboardPath ?? DASHBOARD_DIST_PATH;
  app.use('/dashboard', express.static(dashboardPath, { index: 'index.html', fallthrough: true }), (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const index = path.join(dashboardPath, 'index.html');
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The dashboard is not built: run `npm run build` (it builds packages/dashboard into packages/dashboard/dist).\n');
      return;
    }
    if (path.extname(req.path)) return next(); // a missing asset is a 404, not the app
    res.sendFile(index);
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    // batches are refused before anything else is spent on them (Apollo would first build a context)
    (req, res, next) => {
      if (!Array.isArray(req.body)) return next();
      res.status(400).json({ errors: [{ message: 'Batched operations are not accepted: send one operation per request', extensions: { code: 'BAD_REQUEST' } }] });
    },
    expressMiddleware(server, {
      context: async ({ req }) => {
        const scope = await scopes.scopeOf(await callers.verify(req.headers.authorization));
        return { scope, scopeToken: await signer.sign(scope) };
      },
    }),
  );

  let url = '';
  return {
    server,
    subscriptions: {
      get clientCount() {
        return subscriptions.clientCount;
      },
      get sharedCount() {
        return subscriptions.sharedCount;
      },
      get upstreamCount() {
        return upstream.subscriptionCount;
      },
      get upstreamConnections() {
        return upstream.connectionCount;
      },
    },
    async listen(port = config.port) {
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, config.host, () => resolve());
      });
      url = `http://${config.host}:${(httpServer.address() as AddressInfo).port}/graphql`;
      log.info({ url }, 'gateway listening');
      return url;
    },
    url: () => url,
    async stop() {
      if (stopping) return;
      stopping = true;
      registry.stop();
      for (const source of dataSources.values()) if (source instanceof PartnerRoutingDataSource) source.close();
      await subscriptions.close();
      await upstream.stop();
      await server.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
