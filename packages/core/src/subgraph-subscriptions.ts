import type http from 'node:http';
import {
  createSourceEventStream,
  execute,
  GraphQLError,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessScope } from './access';
import { toClientError } from './errors';
import type { EventBus } from './events';
import { SCOPE_HEADER, type ScopeVerifier } from './internal-token';
import type { Logger } from './logger';
import { openScopedTransaction } from './scoped-transaction';
import type { RequestContext } from './subgraph';

/** What a subscription's `subscribe` function sees: the subscriber's scope and the event bus. */
export interface SubscriptionContext {
  scope: AccessScope;
  events: EventBus;
  log: Logger;
}

export interface SubscriptionServerOptions<L> {
  name: string;
  httpServer: http.Server;
  schema: GraphQLSchema;
  verifier: Pick<ScopeVerifier, 'verify'>;
  requestDataSource: DataSource;
  createLoaders(db: EntityManager, scope: AccessScope): L;
  events: EventBus;
  log: Logger;
}

/** Close code for a connection that did not come from the hub gateway. */
export const CLOSE_FORBIDDEN = 4403;

/**
 * graphql-ws on the subgraph's own port and path. Only the gateway may connect (its signed scope
 * in `connection_init`); each subscription carries the subscriber's own signed scope in
 * `extensions.scope`, so one gateway connection serves every subscriber. Every event is resolved
 * in its own scoped transaction, under the subscriber's scope: what it may not see never leaves.
 * An event whose root field resolves to null (not visible, or gone) is not sent.
 */
export function serveSubscriptions<L>(options: SubscriptionServerOptions<L>): { close(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true });
  options.httpServer.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://x').pathname !== '/graphql') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  const scopes = new WeakMap<object, Map<string, AccessScope>>();

  const disposable = useServer<Record<string, unknown>, { scopes?: Map<string, AccessScope> }>(
    {
      schema: options.schema,
      onConnect: async (ctx) => {
        const token = ctx.connectionParams?.[SCOPE_HEADER];
        const scope = await options.verifier.verify(typeof token === 'string' ? token : undefined);
        if (!scope) return false;
        scopes.set(ctx.extra.socket, new Map([['', scope]]));
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const token = (payload.extensions as Record<string, unknown> | undefined)?.scope;
        const scope = typeof token === 'string' ? await options.verifier.verify(token) : scopes.get(ctx.extra.socket)?.get('');
        if (!scope) return [new GraphQLError('The subscription carries no scope signed by the hub gateway', { extensions: { code: 'FORBIDDEN' } })];
        scopes.get(ctx.extra.socket)?.set(id, scope);
        return undefined;
      },
      onComplete: (ctx, id) => {
        scopes.get(ctx.extra.socket)?.delete(id);
      },
      context: (ctx, id) => {
        const scope = scopes.get(ctx.extra.socket)?.get(id) as AccessScope;
        return { scope, events: options.events, log: options.log } satisfies SubscriptionContext;
      },
      subscribe: (args) => subscribeScoped(args, options),
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => toClientError({ message: e.message, path: e.path, extensions: e.extensions }, e)),
      onNext: (_ctx, _id, _payload, _args, result) => ({
        ...result,
        errors: result.errors?.map((e) => toClientError({ message: e.message, path: e.path, extensions: e.extensions }, e)),
      }),
    },
    wss,
  );
  return {
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** `subscribe` as graphql-js does it, except that each event is executed in its own scoped transaction. */
async function subscribeScoped<L>(args: ExecutionArgs, options: SubscriptionServerOptions<L>): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
  const base = args.contextValue as SubscriptionContext;
  const events = source as AsyncIterableIterator<unknown>;
  async function* results(): AsyncGenerator<ExecutionResult> {
    try {
      for await (const event of events) {
        const transaction = await openScopedTransaction(options.requestDataSource, base.scope);
        let result: ExecutionResult;
        try {
          const contextValue: RequestContext<L> & SubscriptionContext = {
            ...base,
            requestId: `${options.name}-event`,
            db: transaction.manager,
            transaction,
            loaders: options.createLoaders(transaction.manager, base.scope),
          };
          result = await execute({ ...args, rootValue: event, contextValue });
        } finally {
          await transaction.finish();
        }
        const root = result.data ? Object.values(result.data)[0] : undefined;
        if (!result.errors?.length && (root === null || root === undefined)) continue;
        yield result;
      }
    } finally {
      await events.return?.();
    }
  }
  // A generator waiting for its next event would only see `return()` after that event; ending the
  // source first makes an unsubscribe take effect at once.
  const iterator = results();
  const stop = iterator.return.bind(iterator);
  iterator.return = async (value) => {
    await events.return?.();
    return stop(value);
  };
  return iterator;
}
