import { performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * The subscribers of the live workload, in a process of their own (forked by live.ts): one
 * graphql-ws client per token, each on its own connection, subscribed to one session's check-ins. Each
 * event carries the session's attendance count, so every delivery is known by it; the time a
 * client got it is taken when its handler runs (wall clock in ms with fractions, comparable
 * across processes on one machine).
 */
export interface ClientsStart {
  wsUrl: string;
  /** One per client: each signs in as a caller of its own. */
  tokens: string[];
  sessionId: string;
}

export type ClientsMessage = { type: 'expect'; attendanceCount: number; timeoutMs: number } | { type: 'stop' };
export type ClientsReply =
  | { type: 'connected'; count: number; seconds: number }
  | { type: 'delivered'; attendanceCount: number; times: number[]; missing: number }
  | { type: 'error'; error: string };

export const now = () => performance.timeOrigin + performance.now();

export const CHECK_INS_SUBSCRIPTION = 'subscription LiveCheckIns($id: ID!) { sessionCheckIns(sessionId: $id) { id attendanceCount } }';

async function main(start: ClientsStart): Promise<void> {
  const clients: Client[] = [];
  // per attendance count, when each client got it
  const received = new Map<number, number[]>();
  const began = Date.now();
  const connectOne = (token: string) =>
    new Promise<void>((resolve, reject) => {
      const client = createClient({
        url: start.wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        lazy: false,
        retryAttempts: 0,
        on: { connected: () => resolve(), closed: (event) => reject(new Error(`a subscriber's connection closed: ${JSON.stringify(event)}`)) },
      });
      clients.push(client);
      client.subscribe<{ sessionCheckIns: { attendanceCount: number } | null }>(
        { query: CHECK_INS_SUBSCRIPTION, variables: { id: start.sessionId } },
        {
          next: (result) => {
            const t = now();
            const n = result.data?.sessionCheckIns?.attendanceCount;
            if (n === undefined) return;
            let list = received.get(n);
            if (!list) received.set(n, (list = []));
            list.push(t);
          },
          error: (error) => process.send?.({ type: 'error', error: `a subscription failed: ${JSON.stringify(error)}` } satisfies ClientsReply),
          complete: () => undefined,
        },
      );
    });
  // in batches, so the gateway is not handed every handshake at once
  for (let i = 0; i < start.tokens.length; i += 100) await Promise.all(start.tokens.slice(i, i + 100).map(connectOne));
  process.send?.({ type: 'connected', count: clients.length, seconds: (Date.now() - began) / 1000 } satisfies ClientsReply);

  process.on('message', (message: ClientsMessage) => {
    if (message.type === 'stop') {
      void Promise.all(clients.map((c) => c.dispose())).finally(() => process.exit(0));
      return;
    }
    const until = Date.now() + message.timeoutMs;
    const check = () => {
      const times = received.get(message.attendanceCount) ?? [];
      if (times.length >= clients.length || Date.now() > until) {
        received.delete(message.attendanceCount);
        process.send?.({ type: 'delivered', attendanceCount: message.attendanceCount, times, missing: clients.length - times.length } satisfies ClientsReply);
      } else setTimeout(check, 5);
    };
    check();
  });
}

if (require.main === module) {
  process.once('message', (start: ClientsStart) => {
    main(start).catch((error: unknown) => {
      process.send?.({ type: 'error', error: error instanceof Error ? error.message : String(error) } satisfies ClientsReply);
      process.exit(1);
    });
  });
}
