import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { DataSource, EntityManager } from 'typeorm';
import { unauthenticated, forbidden, type AccessScope } from './access';
import type { SubgraphConfig, SubgraphName } from './config';
import { createDataSource, ensureAppRole, ensureDatabase, type StatementCounter } from './database';
import { toClientError } from './errors';
import { EventBus } from './events';
import { ELSEWHERE_EXTENSION, HELD_ELSEWHERE } from './held-elsewhere';
import { SCOPE_HEADER } from './internal-token';
import { scopeVerifierFor } from './partner-node-scope';
import { openScopedTransaction, type ScopedTransaction } from './scoped-transaction';
import { serveSubscriptions } from './subgraph-subscriptions';
import { createLogger, type Logger } from './logger';
import { buildFederatedSchema, type FederatedSchemaOptions } from './schema';

/**
 * What every resolver receives. `db` is the request's own transaction, running under the caller's
 * scope (row-level security); loaders are created anew for each request on it, never shared.
 */
export interface RequestContext<L> {
  requestId: string;
  scope: AccessScope;
  db: EntityManager;
  loaders: L;
  log: Logger;
  transaction: ScopedTransaction;
}

export interface SubgraphDefinition<L> extends FederatedSchemaOptions {
  name: SubgraphName;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  createLoaders(db: EntityManager, scope: AccessScope): L;
}

export interface Subgraph {
  name: SubgraphName;
  schema: GraphQLSchema;
  server: ApolloServer<RequestContext<unknown>>;
  /** The table owner's connection: migrations, seeds, and tests that look at the stored rows. */
  dataSource: DataSource;
  /** The request role's connection (row-level security applies); use with `withScope`. */
  requestDataSource: DataSource;
  /** Committed change events of this subgraph's database, as its subscriptions receive them. */
  events: EventBus;
  /** SQL statements requests have sent so far (tests assert batching with it). */
  statements: StatementCounter;
  /**
   * Executes one request in this process, without HTTP, exactly as the HTTP endpoint would with
   * that signed scope (same context, transaction and plugins): the benchmark compares the two.
   */
  execute(request: { query: string; variables?: Record<string, unknown>; operationName?: string }, scopeToken: string): Promise<{ data?: unknown; errors?: readonly { message: string }[] }>;
  /** Starts listening on config.port (0: any free port); resolves to the GraphQL URL. */
  listen(port?: number): Promise<string>;
  /** URL of the GraphQL endpoint once listening. */
  url(): string;
  stop(): Promise<void>;
}

/**
 * Builds a subgraph service from its definition: database (created and migrated when asked),
 * federated schema, Apollo Server behind express with liveness and readiness endpoints.
 * It never listens by itself: `main.ts` or a test calls `listen`.
 */
export async function createSubgraph<L>(definition: SubgraphDefinition<L>, config: SubgraphConfig): Promise<Subgraph> {
  const log = createLogger(definition.name, config.logLevel);
  if (config.migrate) await ensureDatabase(config.databaseUrl);
  const { dataSource } = createDataSource({
    url: config.databaseUrl,
    entities: definition.entities,
    migrations: definition.migrations,
    poolSize: 2,
    logger: log,
  });
  await dataSource.initialize();
  const { dataSource: requestDataSource, statements } = createDataSource({
    url: config.appDatabaseUrl,
    entities: definition.entities,
    migrations: [],
    poolSize: config.poolSize,
    logger: log,
  });
  try {
    if (config.migrate) await dataSource.runMigrations({ transaction: 'each' });
    if (config.appRole) await ensureAppRole(dataSource, config.appRole);
    await requestDataSource.initialize();
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  const verifier = scopeVerifierFor(config.gatewayPublicKey, config.node);
  const events = new EventBus(config.appDatabaseUrl, log);
  try {
    await events.start();
  } catch (error) {
    await requestDataSource.destroy();
    await dataSource.destroy();
    throw error;
  }

  const schema = await buildFederatedSchema(definition);
  /** A request's context from its signed scope: the caller's scope, its transaction and loaders. */
  const contextFor = async (token: string | string[] | undefined, elsewhereToken?: unknown): Promise<RequestContext<unknown>> => {
    if (typeof token !== 'string' || !token) throw unauthenticated(`${definition.name} answers only the hub gateway`);
    const verified = await verifier.verify(token);
    if (!verified) throw forbidden(`${definition.name} accepts only scopes signed by the hub gateway`, undefined, 403);
    // records another deployment holds, vouched for by a gateway routing to partner nodes (held-elsewhere.ts)
    const elsewhere = elsewhereToken === undefined ? null : await verifier.verifyHeldElsewhere(elsewhereToken);
    if (elsewhereToken !== undefined && (!elsewhere || elsewhere.subject !== verified.subject)) {
      throw forbidden(`${definition.name} accepts only records the hub gateway vouched for to this caller`, undefined, 403);
    }
    const scope = elsewhere ? { ...verified, elsewhere } : verified;
    const transaction = await openScopedTransaction(requestDataSource, scope);
    return {
      requestId: randomUUID(),
      scope,
      db: transaction.manager,
      transaction,
      loaders: definition.createLoaders(transaction.manager, scope),
      log,
    };
  };

  const app = express();
  const httpServer = http.createServer(app);
  const server = new ApolloServer<RequestContext<unknown>>({
    schema,
    formatError: toClientError,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    // shutdown is ours (main.ts / npm start): services drain before their databases close
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      {
        // the request's transaction ends before its answer leaves: a failed commit is the answer
        async requestDidStart() {
          return {
            async willSendResponse({ contextValue, response }) {
              try {
                // a request that asked the gateway for records held elsewhere is sent again with
                // them: nothing of this one may stay, even what a mutation did before it asked
                const asked = response.body.kind === 'single' && response.body.singleResult.errors?.some((e) => e.extensions?.code === HELD_ELSEWHERE);
                if (asked) await contextValue.transaction.abandon();
                else await contextValue.transaction.finish();
              } catch (error) {
                log.error({ err: error }, 'commit failed');
                if (response.body.kind === 'single') {
                  response.body.singleResult = { errors: [toClientError({ message: 'commit failed' }, error)] };
                }
              }
            },
          };
        },
      },
    ],
  });
  await server.start();

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    try {
      await requestDataSource.query('SELECT 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(server, {
      context: ({ req }) => contextFor(req.headers[SCOPE_HEADER], (req.body as { extensions?: Record<string, unknown> } | undefined)?.extensions?.[ELSEWHERE_EXTENSION]),
    }),
  );

  const subscriptions = serveSubscriptions({
    name: definition.name,
    httpServer,
    schema,
    verifier,
    requestDataSource,
    createLoaders: definition.createLoaders,
    events,
    log,
  });

  let url = '';
  let stopped = false;
  return {
    name: definition.name,
    schema,
    server,
    dataSource,
    requestDataSource,
    events,
    statements,
    async execute(request, scopeToken) {
      const response = await server.executeOperation(request, { contextValue: await contextFor(scopeToken) });
      return response.body.kind === 'single' ? response.body.singleResult : { errors: [{ message: 'an incremental answer' }] };
    },
    async listen(port = config.port) {
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, config.host, () => resolve());
      });
      const address = httpServer.address() as AddressInfo;
      url = `http://${config.host}:${address.port}/graphql`;
      log.info({ url }, 'subgraph listening');
      return url;
    },
    url: () => url,
    async stop() {
      if (stopped) return;
      stopped = true;
      await subscriptions.close();
      await server.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await events.stop();
      await requestDataSource.destroy();
      await dataSource.destroy();
    },
  };
}
