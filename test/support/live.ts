import type { FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** One subscription of a real graphql-ws client: its results as they come, and a way to wait for the next. */
export interface LiveSubscription {
  results: FormattedExecutionResult[];
  /** Resolves with the next result not yet taken (fails after `timeoutMs`). */
  next(timeoutMs?: number): Promise<FormattedExecutionResult>;
  /** Resolves with how the subscription ended (an error message, or complete). */
  ended: Promise<{ error?: unknown }>;
  close(): void;
}

/** A graphql-ws client of `httpUrl` (ws:// on the same port and path) signed in with `token`. */
export function liveClient(httpUrl: string, token?: string, onClosed?: (event: unknown) => void): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
    on: onClosed ? { closed: onClosed } : undefined,
  });
}

export function subscribe(client: Client, query: string, variables?: Record<string, unknown>): LiveSubscription {
  const results: FormattedExecutionResult[] = [];
  let taken = 0;
  let wake: (() => void) | undefined;
  let end: (value: { error?: unknown }) => void = () => undefined;
  const ended = new Promise<{ error?: unknown }>((resolve) => (end = resolve));
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (result) => {
        results.push(result as FormattedExecutionResult);
        wake?.();
      },
      error: (error) => end({ error }),
      complete: () => end({}),
    },
  );
  return {
    results,
    ended,
    async next(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (results.length <= taken) {
        if (Date.now() > deadline) throw new Error(`no result within ${timeoutMs} ms (had ${results.length})`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
      return results[taken++];
    },
    close: dispose,
  };
}

/** Resolves once `condition` holds (polled), or fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
