import type http from 'node:http';
import { pushQueue, type Logger, type ScopeSigner } from '@hub/core';
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  print,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AccessScopes } from './access-scopes';
import type { CallerTokens } from './caller-tokens';
import type { OperationLimits } from './config';
import type { GatewayContext } from './gateway-context';
import { operationLimitRules } from './operation-limits';
import { sharedScope } from './shared-scope';
import type { SubscriptionPlan, SubscriptionPlanner } from './subscription-plans';
import type { UpstreamMessage, UpstreamSubscriptions } from './upstream-subscriptions';

export interface GatewaySubscriptionOptions {
  httpServer: http.Server;
  path: string;
  planner: SubscriptionPlanner;
  upstream: UpstreamSubscriptions;
  callers: CallerTokens;
  scopes: AccessScopes;
  signer: ScopeSigner;
  limits: OperationLimits;
  /** Subscriptions one connection may hold at once. */
  maxSubscriptionsPerConnection: number;
  formatError(error: GraphQLFormattedError, original: unknown): GraphQLFormattedError;
  log: Logger;
}

interface Connection {
  scope: GatewayContext['scope'];
  active: number;
}

/** One distinct subscription (operation, variables, scope), shared by every client that asked for it. */
interface Shared {
  listeners: Set<(result: ExecutionResult) => void>;
  close: () => void;
}

/**
 * Subscriptions on the gateway's own port and path, over graphql-ws. The caller's token comes in
 * `connection_init` (`authorization`) and is verified like a bearer token over HTTP; every
 * operation gets the same limits as over HTTP. An operation is planned once, subscribed upstream
 * once per distinct (operation, variables, scope), and each upstream event is completed once and
 * fanned out to every client of that subscription.
 */
export function serveGatewaySubscriptions(options: GatewaySubscriptionOptions) {
  const { planner, upstream, limits } = options;
  const wss = new WebSocketServer({ noServer: true });
  options.httpServer.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://x').pathname !== options.path) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  const connections = new WeakMap<WebSocket, Connection>();
  const shared = new Map<string, Shared>();
  const rules = [...specifiedRules, ...operationLimitRules(limits)];
  // graphql-ws serialises GraphQLErrors itself: results stay raw until `onNext` formats them
  const formatted = (result: ExecutionResult): FormattedExecutionResult => ({
    ...(result as FormattedExecutionResult),
    errors: result.errors?.map((e) => options.formatError(e instanceof GraphQLError ? e.toJSON() : (e as GraphQLFormattedError), e)),
  });

  /** Joins the shared subscription `key`, starting it from `plan` when nobody holds it yet. */
  const join = (key: string, plan: SubscriptionPlan | undefined, context: GatewayContext, listener: (result: ExecutionResult) => void): (() => void) => {
    let entry = shared.get(key);
    if (!entry) {
      if (!plan) throw new Error(`no plan for the new subscription ${key}`);
      const listeners = new Set<(result: ExecutionResult) => void>();
      let chain: Promise<unknown> = Promise.resolve();
      const onMessage = (message: UpstreamMessage) => {
        // events are completed one after another, so clients see them in commit order
        chain = chain.then(async () => {
          let result: ExecutionResult;
          if (message.kind === 'lost') {
            result = {
              errors: [
                message.organisation
                  ? new GraphQLError(`${message.organisation}'s partner node is unavailable; its ${message.serviceName} events resume when it is back (events meanwhile are missed)`, {
                      extensions: { code: 'PARTNER_NODE_UNAVAILABLE', organisation: message.organisation, serviceName: message.serviceName },
                    })
                  : new GraphQLError(`The ${message.serviceName} service is unavailable; the subscription resumes when it is back (events meanwhile are missed)`, {
                      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: message.serviceName },
                    }),
              ],
            };
          } else {
            result = await plan.complete(message.result, { ...context, scopeToken: await options.signer.sign(context.scope) }).catch((error: unknown) => ({
              errors: [error instanceof GraphQLError ? error : new GraphQLError('Internal server error', { originalError: error as Error })],
            }));
          }
          for (const l of listeners) l(result);
        });
      };
      const closeUpstream = upstream.subscribe(plan.primary, context.scope, (audience) => options.signer.sign(context.scope, audience), onMessage);
      entry = { listeners, close: closeUpstream };
      shared.set(key, entry);
    }
    entry.listeners.add(listener);
    const own = entry;
    return () => {
      own.listeners.delete(listener);
      if (own.listeners.size === 0 && shared.get(key) === own) {
        shared.delete(key);
        own.close();
      }
    };
  };

  const server = useServer<Record<string, unknown>>(
    {
      schema: planner.schema,
      onConnect: async (ctx) => {
        const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization ?? ctx.connectionParams?.token;
        if (typeof raw !== 'string') return false;
        try {
          const claims = await options.callers.verify(/^Bearer\s/i.test(raw) ? raw : `Bearer ${raw}`);
          connections.set(ctx.extra.socket, { scope: await options.scopes.scopeOf(claims), active: 0 });
          return true;
        } catch (error) {
          options.log.debug({ err: error }, 'subscription connection refused');
          return false;
        }
      },
      onSubscribe: (ctx, _id, payload) => {
        const connection = connections.get(ctx.extra.socket) as Connection;
        if (connection.active >= options.maxSubscriptionsPerConnection) {
          return [new GraphQLError(`At most ${options.maxSubscriptionsPerConnection} subscriptions per connection`, { extensions: { code: 'RATE_LIMITED' } })];
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: limits.tokens });
        } catch (error) {
          return [error as GraphQLError];
        }
        const errors = validate(planner.schema, document, rules);
        if (errors.length) return errors;
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [new GraphQLError('Name the operation to run (operationName)')];
        if (operation.operation !== 'subscription') {
          return [new GraphQLError('Only subscriptions go over graphql-ws here: send queries and mutations over HTTP', { extensions: { code: 'BAD_REQUEST' } })];
        }
        const variables = getVariableValues(planner.schema, operation.variableDefinitions ?? [], payload.variables ?? {});
        if (variables.errors) return variables.errors;
        connection.active++;
        return {
          schema: planner.schema,
          document,
          operationName: payload.operationName,
          variableValues: variables.coerced,
          contextValue: { scope: connection.scope, scopeToken: '' } satisfies GatewayContext,
        };
      },
      onComplete: (ctx) => {
        const connection = connections.get(ctx.extra.socket);
        if (connection && connection.active > 0) connection.active--;
      },
      onNext: (_ctx, _id, _payload, _args, result) => formatted(result),
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => options.formatError(e.toJSON(), e)),
      subscribe: (args) => {
        const caller = args.contextValue as GatewayContext;
        const context: GatewayContext = { ...caller, scope: sharedScope(caller.scope) };
        const variables = (args.variableValues ?? {}) as Record<string, unknown>;
        const key = JSON.stringify([print(args.document), args.operationName ?? null, variables, context.scope]);
        // a subscription already held for another client is joined as it is: nothing to plan
        let plan: SubscriptionPlan | undefined;
        if (!shared.has(key)) {
          try {
            plan = planner.plan(args.document, args.operationName ?? undefined, variables);
          } catch (error) {
            return { errors: [error instanceof GraphQLError ? error : new GraphQLError('The subscription could not be planned')] };
          }
        }
        let leave = () => undefined as void;
        const queue = pushQueue<ExecutionResult>(() => leave());
        leave = join(key, plan, context, queue.push);
        return queue.iterator;
      },
    },
    wss,
  );

  return {
    /** Distinct subscriptions the gateway holds for its clients (each is one upstream subscription). */
    get sharedCount() {
      return shared.size;
    },
    get clientCount() {
      return wss.clients.size;
    },
    async close() {
      await server.dispose();
      for (const entry of shared.values()) entry.close();
      shared.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
