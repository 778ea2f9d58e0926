import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { SCOPE_HEADER, ScopeSigner, SUBGRAPH_NAMES, type SubgraphName } from '@hub/core';
import { AccessScopes, createGateway, DEFAULT_LIMITS, DEFAULT_SUPERGRAPH_PATH, type Claims, type Gateway } from '@hub/gateway';
import type { HubKeys } from '@hub/hub';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { decodeJwt } from 'jose';

/**
 * One gateway in a process of its own (forked by bench.ts), so its latency, throughput and memory
 * are its own: the hub's gateway, or for comparison plain `@apollo/gateway` with its defaults or
 * Hive Gateway, each serving the same supergraph over the same subgraphs.
 *
 * Plain gateways know nothing of the hub's subgraph authentication: every subgraph request must
 * carry the caller's scope signed by the gateway key. They get the least that makes them work:
 * before each subgraph request, the caller's claims are read from its bearer token (not verified:
 * benchmark only) and turned into the same signed scope the hub's gateway sends, with the hub's
 * own AccessScopes and ScopeSigner (both cache, as the hub's gateway does).
 */

export type GatewayKind = 'hub' | 'hub-noshare' | 'apollo' | 'hive';
export const GATEWAY_KINDS: GatewayKind[] = ['hub', 'hub-noshare', 'apollo', 'hive'];
export const GATEWAY_TITLES: Record<GatewayKind, string> = {
  hub: "the hub's gateway (@hub/gateway)",
  'hub-noshare': "the hub's gateway with identical in-flight fetches not shared (SHARE_IDENTICAL_FETCHES=false)",
  apollo: 'plain @apollo/gateway 2 with default settings under @apollo/server (only the scope header added)',
  hive: 'Hive Gateway (@graphql-hive/gateway-runtime) with default settings (only the scope header added)',
};

export interface GatewayStart {
  kind: GatewayKind;
  subgraphUrls: Record<SubgraphName, string>;
  keys: HubKeys;
}

/** What the hub's gateway reports of its graphql-ws side (zeros for the others). */
export interface GatewayStats {
  clientCount: number;
  sharedCount: number;
  upstreamCount: number;
  upstreamConnections: number;
}

/** The caller's signed scope for a plain gateway's subgraph request. */
function scopeHeader(start: GatewayStart): (authorization: string | null | undefined) => Promise<string> {
  const signer = new ScopeSigner(start.keys.gateway.privateKey);
  const scopes = new AccessScopes(() => start.subgraphUrls.partners, signer, 10_000, 5_000);
  return async (authorization) => {
    const payload = decodeJwt(String(authorization ?? '').replace(/^Bearer\s+/i, ''));
    const claims: Claims = {
      role: payload.role as Claims['role'],
      subject: String(payload.sub),
      organisation: (payload.org as string | undefined) ?? null,
      facilitator: (payload.facilitator as string | undefined) ?? null,
      programs: (payload.programs as string[] | undefined) ?? [],
    };
    return signer.sign(await scopes.scopeOf(claims));
  };
}

async function startApollo(start: GatewayStart, supergraphSdl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const sign = scopeHeader(start);
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) =>
      new RemoteGraphQLDataSource<{ authorization?: string }>({
        url: start.subgraphUrls[name as SubgraphName],
        willSendRequest: async ({ request, context }) => {
          request.http?.headers.set(SCOPE_HEADER, await sign(context.authorization));
        },
      }),
  });
  const server = new ApolloServer<{ authorization?: string }>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: 0 },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  return { url, stop: () => server.stop() };
}

async function startHive(start: GatewayStart, supergraph: string): Promise<{ url: string; stop(): Promise<void> }> {
  const { createGatewayRuntime } = await import('@graphql-hive/gateway-runtime');
  const sign = scopeHeader(start);
  const runtime = createGatewayRuntime({
    supergraph,
    logging: false,
    transportEntries: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, { location: start.subgraphUrls[n] }])),
    plugins: () => [
      <GatewayPlugin>{
        onFetch: async ({ options, setOptions, context }) => {
          const request = (context as { request?: Request }).request;
          const headers = new Headers(options.headers as HeadersInit);
          headers.set(SCOPE_HEADER, await sign(request?.headers.get('authorization')));
          setOptions({ ...options, headers: Object.fromEntries(headers) });
        },
      },
    ],
  });
  const server = http.createServer(runtime);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.dispose();
    },
  };
}

async function startHubGateway(start: GatewayStart): Promise<{ url: string; gateway: Gateway; stop(): Promise<void> }> {
  const gateway = await createGateway({
    port: 0,
    host: '127.0.0.1',
    subgraphUrls: start.subgraphUrls,
    subgraphTimeoutMs: 10_000,
    supergraphPath: DEFAULT_SUPERGRAPH_PATH,
    production: true,
    logLevel: 'silent',
    auth: { issuer: start.keys.issuer, audience: start.keys.audience, jwks: start.keys.jwks },
    gatewayPrivateKey: start.keys.gateway.privateKey,
    accessScopeTtlMs: 5000,
    shareIdenticalFetches: start.kind !== 'hub-noshare',
    limits: DEFAULT_LIMITS,
    partnerNodeRefreshMs: 3_600_000,
  });
  const url = await gateway.listen(0);
  return { url, gateway, stop: () => gateway.stop() };
}

async function main(start: GatewayStart): Promise<void> {
  const supergraph = readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8');
  const running = start.kind === 'apollo' ? await startApollo(start, supergraph) : start.kind === 'hive' ? await startHive(start, supergraph) : await startHubGateway(start);
  const gateway = 'gateway' in running ? (running.gateway as Gateway) : undefined;
  process.on('message', (message: { type: string }) => {
    if (message.type === 'stats') {
      const s = gateway?.subscriptions;
      const stats: GatewayStats = { clientCount: s?.clientCount ?? 0, sharedCount: s?.sharedCount ?? 0, upstreamCount: s?.upstreamCount ?? 0, upstreamConnections: s?.upstreamConnections ?? 0 };
      process.send?.({ type: 'stats', stats });
    } else if (message.type === 'gc') {
      // forked with --expose-gc: a full collection, so the parent reads what the heap still holds
      (globalThis as { gc?: () => void }).gc?.();
      process.send?.({ type: 'gc', heapUsed: process.memoryUsage().heapUsed });
    } else if (message.type === 'stop') {
      void running.stop().finally(() => process.exit(0));
    }
  });
  process.send?.({ type: 'ready', url: running.url });
}

if (require.main === module) {
  process.once('message', (start: GatewayStart) => {
    main(start).catch((error: unknown) => {
      process.send?.({ type: 'error', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      process.exit(1);
    });
  });
}
