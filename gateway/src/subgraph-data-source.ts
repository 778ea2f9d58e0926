import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { SCOPE_HEADER } from '@hub/core';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from './gateway-context';
import { SharedFetches } from './shared-fetches';

const NOT_A_QUERY = /^\s*(mutation|subscription)\b/;

/** Fetch with a deadline: `@apollo/gateway` sets none, so a hung subgraph would hang the query. */
export function fetcherWithTimeout(timeoutMs: number): Fetcher {
  return ((url: string, init?: RequestInit) =>
    fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as unknown as Fetcher;
}

/**
 * A subgraph as the gateway sees it: requests carry a timeout, and any failure to get an answer
 * (refused, timed out, 5xx) becomes SUBGRAPH_UNAVAILABLE naming the subgraph, never its URL.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  /** Identical queries in flight share one request (`shareIdenticalFetches`, on by default); undefined when off. */
  readonly shared?: SharedFetches<GatewayGraphQLResponse>;

  constructor(
    readonly serviceName: string,
    url: string,
    timeoutMs: number,
    shareIdenticalFetches = true,
  ) {
    super({ url, fetcher: fetcherWithTimeout(timeoutMs) });
    if (shareIdenticalFetches) this.shared = new SharedFetches();
  }

  /** A query identical to one in flight (same caller scope, operation, variables and extensions) waits for that one's answer. */
  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { query, variables, extensions } = options.request;
    if (!this.shared || !('incomingRequestContext' in options) || !query || NOT_A_QUERY.test(query)) {
      return super.process(options);
    }
    const key = JSON.stringify([options.context.scopeToken ?? null, query, variables ?? null, extensions ?? null]);
    return this.shared.share(key, () => super.process(options));
  }

  /** Every request carries the caller's scope, signed: subgraphs refuse anything else. */
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (context.scopeToken) request.http?.headers.set(SCOPE_HEADER, context.scopeToken);
  }

  override didEncounterError(error: Error, _request: unknown, response?: FetcherResponse): void {
    if (error instanceof GraphQLError && response && response.status < 500) throw error;
    const timedOut = error.name === 'TimeoutError' || error.name === 'AbortError';
    throw new GraphQLError(
      timedOut ? `The ${this.serviceName} service did not answer in time` : `The ${this.serviceName} service is unavailable`,
      { extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: this.serviceName } },
    );
  }

  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const code = response.status === 401 ? 'UNAUTHENTICATED' : response.status === 403 ? 'FORBIDDEN' : undefined;
    if (response.status < 500) {
      // a 4xx is the subgraph refusing the request (e.g. a DateTimeISO it cannot parse): pass its
      // own error on, so the client sees BAD_USER_INPUT rather than an outage
      const body = (await response.json().catch(() => null)) as { errors?: { message?: string; extensions?: Record<string, unknown> }[] } | null;
      const first = body?.errors?.[0];
      if (first?.message) {
        return new GraphQLError(first.message, {
          extensions: { ...first.extensions, code: code ?? first.extensions?.code ?? 'BAD_USER_INPUT', serviceName: this.serviceName },
        });
      }
    }
    return new GraphQLError(`The ${this.serviceName} service refused the request (HTTP ${response.status})`, {
      extensions: { code: code ?? 'SUBGRAPH_UNAVAILABLE', serviceName: this.serviceName },
    });
  }
}
