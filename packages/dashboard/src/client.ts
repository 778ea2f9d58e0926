import { createClient as createWsClient } from 'graphql-ws';
import { cacheExchange, Client, fetchExchange, subscriptionExchange } from 'urql';

/** The gateway's GraphQL endpoint, on the page's own origin (the gateway serves this app). */
export function graphqlUrl(): string {
  return new URL('/graphql', location.href).toString();
}

export function websocketUrl(): string {
  const url = new URL('/graphql', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** An urql client signed in with `token`: HTTP for queries, graphql-ws for subscriptions. */
export function createHubClient(token: string): { client: Client; dispose: () => void } {
  const ws = createWsClient({
    url: websocketUrl(),
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: true,
    retryAttempts: 5,
  });
  const client = new Client({
    url: graphqlUrl(),
    // POST only: the gateway's CSRF prevention refuses simple GET requests
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: () => ({ headers: { authorization: `Bearer ${token}` } }),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  return { client, dispose: () => void ws.dispose() };
}
