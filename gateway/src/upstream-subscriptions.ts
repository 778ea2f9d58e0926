import { SCOPE_HEADER, SYSTEM_SCOPE, type AccessScope, type ScopeSigner } from '@hub/core';
import type { ExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { PrimaryFetch } from './subscription-plans';

/**
 * What an upstream subscription reports: an event, or that its subgraph went away (it comes back
 * by itself); `organisation` when that subgraph is the organisation's partner node.
 */
export type UpstreamMessage = { kind: 'event'; result: ExecutionResult } | { kind: 'lost'; serviceName: string; organisation?: string };

/** Where an upstream subscription goes when not to the hub's own subgraph: a partner node. */
export interface UpstreamTarget {
  url: string;
  /** The audience the node accepts scopes for. */
  audience: string;
  /** The organisation whose node it is. */
  organisation: string;
}

/**
 * A place an upstream subscription is open at: the hub's own subgraph (`target` undefined) or a
 * partner node. On `standby` when the place does not hold what the subscription follows yet but
 * may at any moment (an organisation with an active node the hub still hosts, or the hub for an
 * organisation on its node): open already, so nothing is missed when routing switches, its events
 * passed on (it has none until then) but its losses not told.
 */
export interface UpstreamPlace {
  target?: UpstreamTarget;
  standby?: boolean;
}

/** One subscription of the gateway's, open at one or more places. */
interface Group {
  fetch: PrimaryFetch;
  scope: AccessScope;
  scopeToken: (audience?: string) => Promise<string>;
  onMessage: (message: UpstreamMessage) => void;
  /** Where it is open now (the hub's subgraph: ''), how to close it there, and whether it is on standby there. */
  places: Map<string, { stop: () => void; standby: { on: boolean } }>;
}

interface Open {
  serviceName: string;
  /** The connection it runs on (a subgraph, or a partner node's subgraph). */
  clientKey: string;
  /** What its subscribers are told when that connection drops. */
  lost: UpstreamMessage;
  /** Subscribes (again), with a freshly signed scope. */
  start(): void;
  stop(): void;
  onMessage(message: UpstreamMessage): void;
}

/**
 * The gateway's subscriptions to subgraphs over graphql-ws: one connection per subgraph,
 * authenticated with the gateway's own signed scope, carrying every upstream subscription, each
 * with its subscriber's signed scope. When a subgraph's connection drops, its subscriptions are
 * told, and subscribed again (with fresh scopes) once graphql-ws has reconnected.
 */
export class UpstreamSubscriptions {
  private readonly clients = new Map<string, Client>();
  private readonly open = new Set<Open>();
  private readonly groups = new Set<Group>();
  private connections = 0;

  constructor(
    private readonly urls: () => Record<string, string>,
    private readonly signer: ScopeSigner,
    /**
     * Where `fetch`, subscribed under `scope`, goes: `undefined` for the hub's own subgraph, a
     * partner node, or several when each holds some of what it follows (docs/partner-nodes.md).
     */
    private readonly targetsFor: (fetch: PrimaryFetch, scope: AccessScope) => UpstreamPlace[] = () => [{}],
  ) {}

  /** Upstream subscriptions open now (tests and the benchmark read it). */
  get subscriptionCount(): number {
    return this.open.size;
  }

  /** graphql-ws connections to subgraphs open now. */
  get connectionCount(): number {
    return this.connections;
  }

  /**
   * Subscribes to `fetch` upstream, at each place that holds some of it, under `scope` as
   * `scopeToken(audience)` signs it; every place's events go to `onMessage`. Returns how to unsubscribe.
   */
  subscribe(fetch: PrimaryFetch, scope: AccessScope, scopeToken: (audience?: string) => Promise<string>, onMessage: (message: UpstreamMessage) => void): () => void {
    const group: Group = { fetch, scope, scopeToken, onMessage, places: new Map() };
    this.groups.add(group);
    this.place(group);
    return () => {
      this.groups.delete(group);
      for (const { stop } of group.places.values()) stop();
      group.places.clear();
    };
  }

  /**
   * Where data is hosted has changed (a partner node registered, an organisation moved): every
   * subscription is opened at the places that hold or may soon hold what it follows and closed at
   * those that no longer do. An organisation moving between the hub and its registered node moves
   * between two places where the subscription is open already, so no event is missed.
   */
  retarget(): void {
    for (const group of this.groups) this.place(group);
  }

  private place(group: Group): void {
    const places = new Map(this.targetsFor(group.fetch, group.scope).map((p) => [p.target ? `${p.target.organisation} ${p.target.url}` : '', p]));
    for (const [key, { stop }] of group.places) {
      if (places.has(key)) continue;
      stop();
      group.places.delete(key);
    }
    for (const [key, place] of places) {
      const open = group.places.get(key);
      // a place leaving or going on standby keeps its subscription: only whether its losses are told changes
      if (open) open.standby.on = Boolean(place.standby);
      else {
        const standby = { on: Boolean(place.standby) };
        group.places.set(key, { standby, stop: this.subscribeAt(group.fetch, place.target, group.scopeToken, group.onMessage, standby) });
      }
    }
  }

  private subscribeAt(
    fetch: PrimaryFetch,
    target: UpstreamTarget | undefined,
    scopeToken: (audience?: string) => Promise<string>,
    deliver: (message: UpstreamMessage) => void,
    standby: { on: boolean },
  ): () => void {
    const onMessage = (message: UpstreamMessage) => {
      if (message.kind === 'event' || !standby.on) deliver(message);
    };
    const clientKey = `${fetch.serviceName} ${target?.url ?? ''}`;
    const lost: UpstreamMessage = { kind: 'lost', serviceName: fetch.serviceName, ...(target ? { organisation: target.organisation } : {}) };
    let dispose: (() => void) | undefined;
    let stopped = false;
    let retry: NodeJS.Timeout | undefined;
    let failures = 0;
    const entry: Open = {
      serviceName: fetch.serviceName,
      clientKey,
      lost,
      onMessage,
      start: () => {
        dispose?.();
        dispose = undefined;
        void scopeToken(target?.audience).then((scopeHeader) => {
          if (stopped) return;
          dispose = this.client(fetch.serviceName, clientKey, target).subscribe(
            { query: fetch.operation, operationName: fetch.operationName, variables: fetch.variables, extensions: { scope: scopeHeader } },
            {
              next: (result) => {
                failures = 0;
                onMessage({ kind: 'event', result: result as ExecutionResult });
              },
              // refused or broken upstream: tell the subscribers, try again shortly with a fresh scope
              error: () => {
                onMessage(lost);
                if (stopped) return;
                retry = setTimeout(entry.start, Math.min(250 * 2 ** failures++, 5000));
              },
              complete: () => undefined,
            },
          );
        });
      },
      stop: () => {
        stopped = true;
        if (retry) clearTimeout(retry);
        this.open.delete(entry);
        dispose?.();
      },
    };
    this.open.add(entry);
    entry.start();
    return entry.stop;
  }

  private client(serviceName: string, key: string, target: UpstreamTarget | undefined): Client {
    let client = this.clients.get(key);
    if (client) return client;
    const url = target?.url ?? this.urls()[serviceName]?.replace(/^http/, 'ws');
    if (!url) throw new Error(`No URL for subgraph ${serviceName}`);
    let connected = false;
    client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: async () => ({ [SCOPE_HEADER]: await this.signer.sign(SYSTEM_SCOPE, target?.audience) }),
      lazy: true,
      keepAlive: 10_000,
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(200 * 2 ** retries, 2000))),
      on: {
        connected: () => {
          connected = true;
          this.connections++;
        },
        closed: () => {
          if (!connected) return; // an attempt that failed: nothing more was lost
          connected = false;
          this.connections--;
          // tell the subscribers, and subscribe again with fresh scopes (the old ones may expire
          // before the subgraph is back); graphql-ws keeps trying to connect meanwhile
          for (const entry of [...this.open]) {
            if (entry.clientKey !== key) continue;
            entry.onMessage(entry.lost);
            entry.start();
          }
        },
      },
    });
    this.clients.set(key, client);
    return client;
  }

  async stop(): Promise<void> {
    this.groups.clear();
    for (const entry of [...this.open]) entry.stop();
    await Promise.all([...this.clients.values()].map((c) => c.dispose()));
    this.clients.clear();
  }
}
