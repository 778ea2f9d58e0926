import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SCOPE_HEADER, ScopeSigner, SUBGRAPH_NAMES, type AccessScope, type SubgraphName } from '@hub/core';
import type { Hub } from '@hub/hub';
import { decodeJwt } from 'jose';
import { GatewayChild } from './gateway-child';
import { percentile } from './load';
import type { SubgraphsReport } from './report';
import { load } from './run-load';
import type { Workload } from './workloads';

interface Recorded {
  subgraph: SubgraphName;
  body: { query: string; variables?: Record<string, unknown>; operationName?: string };
  scope: AccessScope;
}

/** A pass-through proxy in front of each subgraph that keeps every request the gateway sends. */
async function recordingProxies(hub: Hub): Promise<{ urls: Record<SubgraphName, string>; recorded: Recorded[]; close(): Promise<void> }> {
  const recorded: Recorded[] = [];
  const servers: http.Server[] = [];
  const urls = {} as Record<SubgraphName, string>;
  for (const name of SUBGRAPH_NAMES) {
    const target = hub.subgraphs[name].url();
    const server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks).toString('utf8');
      const token = String(req.headers[SCOPE_HEADER] ?? '');
      if (token) recorded.push({ subgraph: name, body: JSON.parse(raw), scope: decodeJwt(token).scope as AccessScope });
      const answer = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', [SCOPE_HEADER]: token }, body: raw });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(await answer.text());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  }
  return { urls, recorded, close: () => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined) };
}

/** `connections` callers executing the request back to back in this process for `seconds`. */
async function inProcess(run: () => Promise<unknown>, connections: number, seconds: number): Promise<{ requestsPerSecond: number; p50: number }> {
  const times: number[] = [];
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        await run();
        times.push(performance.now() - t);
      }
    }),
  );
  times.sort((a, b) => a - b);
  return { requestsPerSecond: Math.round((times.length / seconds) * 10) / 10, p50: Math.round(percentile(times, 50) * 100) / 100 };
}

const operationName = (query: string) => query.match(/^\s*(?:query|mutation)\s+(\w+)/)?.[1] ?? (query.includes('_entities') ? '_entities' : query.replace(/\s+/g, ' ').slice(0, 40));

/**
 * Each subgraph over HTTP against its schema executed in-process: the requests the hub's gateway
 * sends the subgraphs for `workload` (recorded through pass-through proxies), each replayed over
 * HTTP with autocannon and executed in-process through the subgraph's own request pipeline.
 */
export async function runSubgraphs(options: {
  hub: Hub;
  gatewayUrl: string;
  workload: Workload;
  token: string;
  connections: number[];
  durationSeconds: number;
  log: (line: string) => void;
}): Promise<SubgraphsReport> {
  const { hub, workload, log } = options;
  const proxies = await recordingProxies(hub);
  const recorder = await GatewayChild.start({ kind: 'hub', subgraphUrls: proxies.urls, keys: hub.keys });
  try {
    const res = await fetch(recorder.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
      body: JSON.stringify({ query: workload.query, variables: workload.variables }),
    });
    if (!res.ok) throw new Error(`recording the ${workload.name} workload's subgraph requests failed: HTTP ${res.status}`);
  } finally {
    await recorder.stop();
    await proxies.close();
  }
  // the caller's own requests, not the gateway's registry and scope lookups (operations named Hub…)
  const requests = proxies.recorded.filter((r) => !/^\s*query\s+Hub/.test(r.body.query));
  const signer = new ScopeSigner(hub.keys.gateway.privateKey);
  const rows: SubgraphsReport['rows'] = [];
  for (const r of requests) {
    const subgraph = hub.subgraphs[r.subgraph];
    const operation = operationName(r.body.query);
    const check = await subgraph.execute(r.body, await signer.sign(r.scope));
    if (check.errors?.length) throw new Error(`${r.subgraph} ${operation} in-process: ${JSON.stringify(check.errors).slice(0, 300)}`);
    for (const c of options.connections) {
      log(`subgraphs: ${r.subgraph} ${operation}, ${c} caller${c === 1 ? '' : 's'}, HTTP then in-process…`);
      // a fresh scope for each run: they last a minute
      const scopeToken = await signer.sign(r.scope);
      const http = await load({ url: subgraph.url(), body: JSON.stringify(r.body), token: '', headers: { [SCOPE_HEADER]: scopeToken }, connections: c, durationSeconds: options.durationSeconds });
      if (http.errors.total) throw new Error(`${r.subgraph} ${operation} over HTTP: ${http.errors.total} errors (${http.firstError})`);
      const local = await inProcess(async () => subgraph.execute(r.body, await signer.sign(r.scope)), c, options.durationSeconds);
      rows.push({ subgraph: r.subgraph, operation, connections: c, http: { requestsPerSecond: http.requestsPerSecond, p50: http.latencyMs.p50 }, inProcess: local });
      log(`  HTTP ${http.requestsPerSecond} req/s p50 ${http.latencyMs.p50} ms; in-process ${local.requestsPerSecond} req/s p50 ${local.p50} ms`);
    }
  }
  return { rows };
}
