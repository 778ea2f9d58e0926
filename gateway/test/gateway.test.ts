import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SUBGRAPH_NAMES, type SubgraphName } from '@hub/core';
import { createGateway, DEFAULT_LIMITS, DEFAULT_SUPERGRAPH_PATH, type Gateway } from '@hub/gateway';
import { createHubKeys, mintToken } from '@hub/hub';
import { postGraphQL } from '../../test/support/graphql';

/** A subgraph that accepts the connection and never answers. */
async function hangingServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer(() => undefined);
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('the gateway in front of a hung subgraph', () => {
  let hung: Awaited<ReturnType<typeof hangingServer>>;
  let gateway: Gateway;
  let url: string;
  let token: string;

  beforeAll(async () => {
    hung = await hangingServer();
    const keys = await createHubKeys();
    token = await mintToken(keys, { role: 'partner-admin', org: 'somewhere' });
    gateway = await createGateway({
      port: 0,
      host: '127.0.0.1',
      subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, hung.url])) as Record<SubgraphName, string>,
      subgraphTimeoutMs: 300,
      supergraphPath: DEFAULT_SUPERGRAPH_PATH,
      production: false,
      logLevel: 'silent',
      auth: { issuer: keys.issuer, audience: keys.audience, jwks: keys.jwks },
      gatewayPrivateKey: keys.gateway.privateKey,
      accessScopeTtlMs: 0,
      limits: DEFAULT_LIMITS,
    });
    url = await gateway.listen(0);
  });
  afterAll(async () => {
    await gateway.stop();
    await hung.close();
  });

  it('gives up after its timeout with SUBGRAPH_UNAVAILABLE and no internal address', async () => {
    // the first thing a request needs is the caller's scope, which the partners subgraph holds
    const res = await postGraphQL(url, `{ programs { totalCount } }`, undefined, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(503);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0].extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'partners' });
    expect(res.errors?.[0].message).toMatch(/partners service is unavailable/);
    expect(JSON.stringify(res)).not.toMatch(/127\.0\.0\.1|http:/);
  });

  it('refuses batched requests and requests without a CSRF-safe content type', async () => {
    const authorization = `Bearer ${token}`;
    const batch = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]) });
    expect(batch.status).toBe(400);
    const simple = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { authorization } });
    expect(simple.status).toBe(400);
  });

  it('answers liveness while a subgraph is hung, and readiness says which', async () => {
    expect((await fetch(new URL('/health/live', url))).status).toBe(200);
    const ready = await fetch(new URL('/health/ready', url));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'degraded', unavailable: [...SUBGRAPH_NAMES] });
  });
});
