import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import type { SubgraphConfig, SubgraphName } from './config';
import { createDataSource, ensureDatabase, type StatementCounter } from './database';
import { toClientError } from './errors';
import { createLogger, type Logger } from './logger';
import { buildFederatedSchema, type FederatedSchemaOptions } from './schema';

/** What every resolver receives. Loaders are created anew for each request, never shared. */
export interface RequestContext<L> {
  requestId: string;
  dataSource: DataSource;
  loaders: L;
  log: Logger;
}

export interface SubgraphDefinition<L> extends FederatedSchemaOptions {
  name: SubgraphName;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  createLoaders(dataSource: DataSource): L;
}

export interface Subgraph {
  name: SubgraphName;
  schema: GraphQLSchema;
  server: ApolloServer<RequestContext<unknown>>;
  dataSource: DataSource;
  /** SQL statements sent so far (tests assert batching with it). */
  statements: StatementCounter;
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
  const { dataSource, statements } = createDataSource({
    url: config.databaseUrl,
    entities: definition.entities,
    migrations: definition.migrations,
    poolSize: config.poolSize,
    logger: log,
  });
  await dataSource.initialize();
  if (config.migrate) await dataSource.runMigrations({ transaction: 'each' });

  const schema = await buildFederatedSchema(definition);
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
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginInlineTraceDisabled()],
  });
  await server.start();

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    try {
      await dataSource.query('SELECT 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(server, {
      context: async () => ({
        requestId: randomUUID(),
        dataSource,
        loaders: definition.createLoaders(dataSource),
        log,
      }),
    }),
  );

  let url = '';
  let stopped = false;
  return {
    name: definition.name,
    schema,
    server,
    dataSource,
    statements,
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
      await server.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await dataSource.destroy();
    },
  };
}
