import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { FetcherResponse } from '@apollo/utils.fetcher';
import { nodeAudience, SCOPE_HEADER, type ScopeSigner } from '@hub/core';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from './gateway-context';
import type { NodeRoute } from './node-registry';
import { SubgraphDataSource } from './subgraph-data-source';

type Options = GraphQLDataSourceProcessOptions<GatewayContext>;
export type GatewayGraphQLResponse = Awaited<ReturnType<GraphQLDataSource<GatewayContext>['process']>>;

/** A node's subgraph as the gateway sees it: scopes signed for that node's audience, its own time budget. */
export class NodeDataSource extends SubgraphDataSource {
  constructor(
    serviceName: string,
    private readonly route: NodeRoute,
    url: string,
    private readonly signer: ScopeSigner,
  ) {
    super(serviceName, url, route.timeBudgetMs);
  }

  override async willSendRequest({ request, context }: Options): Promise<void> {
    request.http?.headers.set(SCOPE_HEADER, await this.signer.sign(context.scope, nodeAudience(this.route.organisation)));
  }

  /** A node that refuses the hub itself (it revoked the hub's key) is unavailable to the hub, not the caller's mistake. */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    if (response.status !== 401 && response.status !== 403) return super.errorFromResponse(response);
    return new GraphQLError(REFUSED, { extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: this.serviceName } });
  }
}

const REFUSED = 'refuses this hub\'s requests';

/** Why a node's part of an answer is missing, in the words of its error. */
export function reasonOf(error: unknown): string {
  const { message, code } = error as { message?: string; code?: string };
  if (code === 'EOPENBREAKER') return 'failed repeatedly and is skipped for now';
  if (message === REFUSED) return REFUSED;
  return message?.includes('in time') ? 'did not answer within its time budget' : 'is unavailable';
}

/** Not counted against a node: it answered, and rejected what the caller asked (e.g. BAD_USER_INPUT). */
export function answered(error: unknown): boolean {
  const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
  return typeof code === 'string' && code !== 'SUBGRAPH_UNAVAILABLE';
}
