import { buildOperationContext, executeQueryPlan, type ServiceMap } from '@apollo/gateway';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import { GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from './gateway-context';

/** The fetch a subscription starts with: one subgraph's own subscription, run over graphql-ws. */
export interface PrimaryFetch {
  serviceName: string;
  operation: string;
  operationName?: string;
  variables: Record<string, unknown>;
}

/** A planned subscription: what to subscribe to upstream, and how to complete each of its events. */
export interface SubscriptionPlan {
  primary: PrimaryFetch;
  /** Runs the rest of the plan (fields of other subgraphs) for one event of the primary subscription. */
  complete(event: ExecutionResult, context: GatewayContext): Promise<ExecutionResult>;
}

/** The name under which an event's data joins the plan: a service that returns what the primary subscription sent. */
const EVENT_SERVICE = '__subscription_event__';

/**
 * Plans subscription operations on the supergraph with `@apollo/query-planner`: the plan's
 * `Subscription` node has a `primary` fetch (the owning subgraph's subscription) and `rest`. The
 * gateway runs `primary` over graphql-ws and, for every event, runs `primary` + `rest` through
 * `executeQueryPlan` with the primary fetch answered by the event itself, so the event is
 * completed with fields from every subgraph exactly as a query would be.
 */
export class SubscriptionPlanner {
  private readonly planner: QueryPlanner;
  private readonly apiSchema: Schema;
  private readonly supergraphSchema: GraphQLSchema;
  /** The public schema (what clients validate against). */
  readonly schema: GraphQLSchema;

  constructor(
    supergraphSdl: string,
    private readonly services: () => ServiceMap,
  ) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.planner = new QueryPlanner(supergraph);
    this.apiSchema = supergraph.apiSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.schema = this.apiSchema.toGraphQLJSSchema();
  }

  plan(document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): SubscriptionPlan {
    const operation = operationFromDocument(this.apiSchema, document, { operationName });
    const queryPlan = this.planner.buildQueryPlan(operation);
    const node = queryPlan.node;
    if (node?.kind !== 'Subscription') throw new GraphQLError('Only subscription operations are planned here');
    const fetch = node.primary;
    const primary: PrimaryFetch = {
      serviceName: fetch.serviceName,
      operation: fetch.operation,
      operationName: fetch.operationName,
      variables: Object.fromEntries((fetch.variableUsages ?? []).filter((v) => variables[v] !== undefined).map((v) => [v, variables[v]])),
    };
    const eventFetch: FetchNode = { ...fetch, serviceName: EVENT_SERVICE };
    const completion: QueryPlan = {
      kind: 'QueryPlan',
      node: node.rest ? { kind: 'Sequence', nodes: [eventFetch, node.rest as PlanNode] } : eventFetch,
    };
    const operationContext = buildOperationContext({ schema: this.schema, operationDocument: document, operationName });
    return {
      primary,
      complete: async (event, context) => {
        const serviceMap: ServiceMap = {
          ...this.services(),
          [EVENT_SERVICE]: { process: async () => ({ data: event.data as Record<string, unknown> | null, errors: event.errors as never }) },
        };
        const requestContext = {
          request: { query: '', variables, operationName },
          context,
          logger: undefined,
          metrics: {},
        } as unknown as Parameters<typeof executeQueryPlan>[2];
        const result = (await executeQueryPlan(completion, serviceMap, requestContext, operationContext, this.supergraphSchema, this.apiSchema)) as ExecutionResult;
        // errors of the event itself are the owning subgraph's
        const errors = result.errors?.map((e) =>
          e.extensions?.serviceName === EVENT_SERVICE ? new GraphQLError(e.message, { path: e.path, extensions: { ...e.extensions, serviceName: fetch.serviceName } }) : e,
        );
        return errors ? { ...result, errors } : result;
      },
    };
  }
}
