import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
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

/**
 * The gateway holds at most 20 subscriptions per graphql-ws connection (MAX_SUBSCRIPTIONS_PER_CONNECTION):
 * a page following many live sessions and polls spreads them over several connections, this many each
 * (below the limit, as an unsubscribe reaches the gateway a moment after it is counted free here).
 */
const SUBSCRIPTIONS_PER_CONNECTION = 16;

interface Connection {
  ws: WsClient;
  active: number;
}

/** An urql client signed in with `token`: HTTP for queries, graphql-ws for subscriptions. */
export function createHubClient(token: string): { client: Client; dispose: () => void } {
  const connections: Connection[] = [];
  const connection = (): Connection => {
    let free = connections.find((c) => c.active < SUBSCRIPTIONS_PER_CONNECTION);
    if (!free) {
      free = { ws: createWsClient({ url: websocketUrl(), connectionParams: { authorization: `Bearer ${token}` }, lazy: true, retryAttempts: 5 }), active: 0 };
      connections.push(free);
    }
    return free;
  };
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
              const c = connection();
              c.active += 1;
              let done = false;
              const stop = c.ws.subscribe(input, sink);
              return {
                unsubscribe() {
                  if (done) return;
                  done = true;
                  c.active -= 1;
                  stop();
                },
              };
            },
          };
        },
      }),
    ],
  });
  return { client, dispose: () => connections.forEach((c) => void c.ws.dispose()) };
}
