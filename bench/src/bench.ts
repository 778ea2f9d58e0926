import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SUBGRAPH_NAMES, type SubgraphName } from '@hub/core';
import { Client } from 'pg';
import type { Hub } from '@hub/hub';
import { datasetShape } from './generate';
import { startFanOut, type FanOut } from './fan-out';
import { runCheckins } from './checkin';
import { GatewayChild } from './gateway-child';
import { GATEWAY_KINDS, type GatewayKind } from './gateway-process';
import { runLiveFanOut, startLiveSessions } from './live';
import { percentile, type LoadResult } from './load';
import { load } from './run-load';
import { runMemory } from './memory';
import { markdown, targets, type BenchReport, type Run, type WorkloadReport } from './report';
import { numberArg, parseArgs, prepare, prefixFor, startServer, databaseUrlsOf } from './setup';
import { runSubgraphs } from './subgraphs';
import { DEFAULT_WORKLOADS, hubFigures, NationalFloor, WORKLOAD_NAMES, workloads, type PartnerFigures, type QueryWorkloadName, type Workload, type WorkloadName } from './workloads';

/**
 * The hub's gateway runs with a bounded old generation (docker-compose.yml): with Node.js's default
 * limit (a share of the machine's memory) V8 lets its heap grow lazily to several times what the
 * gateway holds, and the RSS keeps climbing under load although the heap in use does not.
 */
const HUB_GATEWAY_NODE_OPTIONS = ['--max-old-space-size=256'];

const HELP = `npm run bench -- [options]

Generates a program at a scale factor (or reuses one), starts the four subgraphs in this process
and each gateway in a process of its own, runs the workloads and writes the report to
bench/results/<date>-scale<N>.{md,json}.

  --scale N             dataset scale (default 10; 1 is the demo program's size)
  --reuse               keep the dataset of an earlier run when complete
  --workloads a,b       from ${WORKLOAD_NAMES.join(', ')}
                        (default ${DEFAULT_WORKLOADS.join(',')})
  --gateways a,b        gateways the HTTP workloads run against, from ${GATEWAY_KINDS.join(', ')}
                        (default hub,apollo,hive)
  --connections 1,32    concurrent connections per run (default 1,32)
  --duration S          seconds per run (default 20)
  --subscribers N       graphql-ws clients of the live workload (default 2000)
  --events N            check-ins the live workload measures (default 20)
  --memory-seconds S    measured seconds of the memory workload (default 120)
  --memory-warm-up S    its warm-up before them (default 15)
  --nodes N             partner nodes of the fanout workload (default 20)
  --pool-size N         database connections per subgraph (default 10)
  --out DIR             the report's folder (default bench/results)
  --prefix NAME         the databases' name prefix (default bench_s<scale>)
  --gateway-node-options=F   Node.js flags of the hub's gateway processes (default
                        ${HUB_GATEWAY_NODE_OPTIONS.join(' ')}, as docker-compose.yml runs it; = for none)
  --help                this text
`;

/** Workloads that POST one fixed query to each gateway. */
const HTTP_WORKLOADS: string[] = ['national', 'partner', 'list', 'fanout'] satisfies QueryWorkloadName[];
/** The order they run in: partner nodes come last, so everything else runs on the data hub-hosted. */
const ORDER: WorkloadName[] = ['national', 'partner', 'list', 'subgraphs', 'memory', 'checkin', 'live', 'fanout'];

const MiB = 1024 * 1024;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function post(url: string, token: string, workload: Pick<Workload, 'name' | 'query' | 'variables'>): Promise<{ body: string; data: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: workload.query, variables: workload.variables }),
  });
  const body = await res.text();
  const json = JSON.parse(body) as { data?: unknown; errors?: unknown[] };
  if (res.status !== 200 || json.errors) throw new Error(`the ${workload.name} workload failed (HTTP ${res.status}): ${body.slice(0, 1000)}`);
  return { body, data: json.data };
}

/**
 * Waits until the databases have finished what the last run left in flight (autocannon stops
 * waiting at the end of its duration and the gateway at its subgraph timeout; the subgraphs' SQL
 * goes on): no active statement on the benchmark's databases for a second, at most five minutes.
 */
async function quiesce(serverUrl: string, prefix: string, log: (line: string) => void): Promise<void> {
  const client = new Client({ connectionString: serverUrl, application_name: 'hub-bench-quiesce' });
  await client.connect();
  try {
    const started = Date.now();
    let quietSince = Date.now();
    let reported = false;
    while (Date.now() - quietSince < 1000 && Date.now() - started < 300_000) {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname LIKE $1 AND state = 'active' AND pid <> pg_backend_pid()`,
        [`${prefix}\\_%`],
      );
      if (rows[0].n > 0) {
        quietSince = Date.now();
        if (!reported && Date.now() - started > 2000) {
          log(`  waiting for ${rows[0].n} statements the run left running…`);
          reported = true;
        }
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    if (reported) log(`  drained in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await client.end();
  }
}

export function compareFigures(hub: PartnerFigures[], floor: PartnerFigures[]): boolean {
  const byId = (a: PartnerFigures, b: PartnerFigures) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return JSON.stringify([...hub].sort(byId)) === JSON.stringify([...floor].sort(byId));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const args = parseArgs(argv);
  const scale = numberArg(args, 'scale', 10);
  const duration = numberArg(args, 'duration', 20);
  const names = (args.get('workloads') ?? DEFAULT_WORKLOADS.join(',')).split(',').map((w) => w.trim()) as WorkloadName[];
  for (const n of names) if (!WORKLOAD_NAMES.includes(n)) throw new Error(`unknown workload ${n}: choose from ${WORKLOAD_NAMES.join(', ')}`);
  names.sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  const gatewayKinds = (args.get('gateways') ?? 'hub,apollo,hive').split(',').map((g) => g.trim()) as GatewayKind[];
  for (const g of gatewayKinds) if (!GATEWAY_KINDS.includes(g)) throw new Error(`unknown gateway ${g}: choose from ${GATEWAY_KINDS.join(', ')}`);
  if (!gatewayKinds.includes('hub')) gatewayKinds.unshift('hub');
  const nodeCount = numberArg(args, 'nodes', 20);
  const connections = (args.get('connections') ?? '1,32').split(',').map((c) => {
    const n = Number(c);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--connections takes whole numbers, not ${c}`);
    return n;
  });
  const reuse = args.has('reuse');
  const outDir = path.resolve(args.get('out') ?? path.join(__dirname, '../results'));
  const poolSize = numberArg(args, 'pool-size', 10);
  const subscribers = numberArg(args, 'subscribers', 2000);
  const events = numberArg(args, 'events', 20);
  const memorySeconds = numberArg(args, 'memory-seconds', 120);
  const memoryWarmUp = numberArg(args, 'memory-warm-up', 15);
  const prefix = args.get('prefix') ?? prefixFor(scale);
  const gatewayNodeOptions = (args.get('gateway-node-options') ?? HUB_GATEWAY_NODE_OPTIONS.join(' ')).split(/\s+/).filter(Boolean);
  if (!/^[a-z][a-z0-9_]*$/.test(prefix)) throw new Error(`--prefix takes lower-case letters, digits and _, not ${prefix}`);
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const server = await startServer(log);
  const floor = new NationalFloor(databaseUrlsOf(server.url, prefix));
  let hub: Hub | undefined;
  let fanOut: FanOut | undefined;
  const gateways = new Map<GatewayKind, GatewayChild>();
  try {
    const prepared = await prepare({ serverUrl: server.url, scale, prefix, reuse, log, hub: { poolSize } });
    hub = prepared.hub;
    const { dataset, generated } = prepared;
    if (generated) log(`Generated ${generated.totalRows.toLocaleString('en')} rows in ${generated.seconds.total.toFixed(1)} s`);
    const subgraphUrls = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, hub!.subgraphs[n].url()])) as Record<SubgraphName, string>;
    for (const kind of gatewayKinds) {
      // the other gateways run with Node.js defaults, as they come
      gateways.set(kind, await GatewayChild.start({ kind, subgraphUrls, keys: hub.keys }, kind.startsWith('hub') ? gatewayNodeOptions : []));
      log(`${kind} gateway at ${gateways.get(kind)!.url} (pid ${gateways.get(kind)!.pid})`);
    }
    const hubGateway = gateways.get('hub')!;
    const all = workloads(dataset);
    const reports: WorkloadReport[] = [];
    const report: Partial<BenchReport> = {};
    let hubNational: PartnerFigures[] | undefined;
    let fanOutNational: PartnerFigures[] | undefined;
    // the hub's subgraphs, and the partner nodes' once they run
    const statementsOf = (n: SubgraphName) => hub!.subgraphs[n].statements.count + (n === 'partners' ? 0 : (fanOut?.statements()[n] ?? 0));
    let liveSessions: string[] | undefined;
    const live = async (count: number) => (liveSessions ??= await startLiveSessions(hub!, dataset, count));

    // the SQL floor of the national dashboard, one request at a time, right after the national
    // workload: on the same data, in the same state of the machine (the later workloads add rows)
    let floorReport: BenchReport['floor'];
    let ratio: BenchReport['ratio'];
    const measureFloor = async (national: WorkloadReport) => {
      let single: LoadResult | undefined = national.runs.find((r) => r.connections === 1 && r.gateway === 'hub');
      if (!single) {
        log('national: 1 connection for the ratio…');
        const token = await hub!.token({ ...all.national.caller, ttlSeconds: 6 * 3600 });
        single = await load({ url: hubGateway.url, body: JSON.stringify({ query: all.national.query, variables: all.national.variables }), token, connections: 1, durationSeconds: Math.min(duration, 10) }, hubGateway.pid);
      }
      log(`SQL floor of the national dashboard for ${duration} s…`);
      // the hub's answer and the floor's side by side, at the same moment
      const nationalToken = await hub!.token({ ...all.national.caller, ttlSeconds: 6 * 3600 });
      const hubNow = hubFigures((await post(hubGateway.url, nationalToken, all.national)).data);
      const figures = await floor.figures(dataset);
      for (let i = 0; i < 3; i++) await floor.figures(dataset);
      const times: number[] = [];
      const until = Date.now() + duration * 1000;
      while (Date.now() < until && times.length < 5000) {
        const t = process.hrtime.bigint();
        await floor.figures(dataset);
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      times.sort((a, b) => a - b);
      floorReport = {
        iterations: times.length,
        latencyMs: { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), p99: round(percentile(times, 99)) },
        matchesHub: compareFigures(hubNow, figures),
      };
      ratio = { hubP50Ms: single.latencyMs.p50, floorP50Ms: floorReport.latencyMs.p50, hubOverFloor: round(single.latencyMs.p50 / floorReport.latencyMs.p50) };
      log(`  floor p50 ${floorReport.latencyMs.p50} ms; hub/floor ${ratio.hubOverFloor}; numbers match: ${floorReport.matchesHub}`);
    };

    for (const name of names) {
      if (!HTTP_WORKLOADS.includes(name)) {
        if (name === 'memory') report.memory = await runMemory({ gateway: hubGateway, workload: all.list, token: await hub.token({ ...all.list.caller, ttlSeconds: 6 * 3600 }), connections: 32, warmUpSeconds: memoryWarmUp, seconds: memorySeconds, log });
        if (name === 'subgraphs') report.subgraphs = await runSubgraphs({ hub, gatewayUrl: hubGateway.url, workload: all.list, token: await hub.token({ ...all.list.caller, ttlSeconds: 6 * 3600 }), connections, durationSeconds: Math.min(duration, 10), log });
        if (name === 'checkin') report.checkin = await runCheckins({ hub, gateway: hubGateway, dataset, sessionIds: (await live(21)).slice(1), connections, durationSeconds: duration, load, log });
        if (name === 'live') {
          log(`live: ${subscribers} subscribers on one live session, ${events} check-ins…`);
          // a gateway process of its own, so what it holds is the subscribers' cost, not what earlier load left on its heap
          const liveGateway = await GatewayChild.start({ kind: 'hub', subgraphUrls, keys: hub.keys }, gatewayNodeOptions);
          try {
            report.live = await runLiveFanOut({ hub, gateway: liveGateway, dataset, sessionId: (await live(21))[0], subscribers, events, log });
          } finally {
            await liveGateway.stop();
          }
          log(`  p50 ${report.live.afterCommitMs.p50} ms, p99 ${report.live.afterCommitMs.p99} ms after the commit; ${report.live.upstreamSubscriptions} upstream; gateway RSS peak ${report.live.gatewayRssMiB.peak} MiB`);
        }
        await quiesce(server.url, prefix, log);
        continue;
      }
      const w = all[name as QueryWorkloadName];
      if (name === 'fanout') {
        // the numbers the nodes must give: the hub-hosted answer now, after whatever the other workloads added
        hubNational = hubFigures((await post(hubGateway.url, await hub.token({ ...all.national.caller, ttlSeconds: 6 * 3600 }), all.national)).data);
        log(`fanout: starting ${nodeCount} partner nodes and moving a delivery partner onto each…`);
        fanOut = await startFanOut({ hub, serverUrl: server.url, prefix, dataset, count: nodeCount, log });
      }
      // partner nodes are registered through the in-process hub gateway, which re-reads the registry at once
      const targets = name === 'fanout' ? [{ kind: 'hub' as GatewayKind, url: hub.gatewayUrl, pid: process.pid }] : [...gateways.values()].map((g) => ({ kind: g.kind, url: g.url, pid: g.pid }));
      const token = await hub.token({ ...w.caller, ttlSeconds: 6 * 3600 });
      // warm up (JIT, plan caches, the caller's scope), then count one request's statements
      for (const t of targets) {
        const warmUntil = Date.now() + 15_000;
        for (let i = 0; i < 5 && Date.now() < warmUntil; i++) await post(t.url, token, w).catch(() => undefined);
      }
      await quiesce(server.url, prefix, log);
      const before = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, statementsOf(n)]));
      let answer: { body: string; data: any; error?: string };
      try {
        answer = await post(targets[0].url, token, w);
      } catch (error) {
        answer = { body: '', data: undefined, error: error instanceof Error ? error.message : String(error) };
        log(`  ${answer.error}`);
      }
      const { body, data } = answer;
      const statements = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, statementsOf(n) - before[n]])) as WorkloadReport['statements'];
      statements.total = SUBGRAPH_NAMES.reduce((s, n) => s + statements[n], 0);
      if (name === 'fanout' && data) fanOutNational = hubFigures(data);
      const runs: Run[] = [];
      for (const t of targets) {
        // another gateway's answer must be the hub's, or its figures do not count
        let invalid: string | undefined;
        if (t.kind !== 'hub') {
          try {
            const other = await post(t.url, token, w);
            if (JSON.stringify(other.data) !== JSON.stringify(data)) invalid = `its answer differs from the hub's: ${other.body.slice(0, 300)}`;
          } catch (error) {
            invalid = error instanceof Error ? error.message.slice(0, 600) : String(error);
          }
          if (invalid) log(`  ${t.kind}: ${invalid.slice(0, 300)}`);
        }
        for (const c of connections) {
          log(`${name} through ${t.kind}: ${c} connection${c === 1 ? '' : 's'} for ${duration} s…`);
          const run = await load({ url: t.url, body: JSON.stringify({ query: w.query, variables: w.variables }), token, connections: c, durationSeconds: duration }, t.pid);
          log(`  ${run.requestsPerSecond} req/s, p50 ${run.latencyMs.p50} ms, p95 ${run.latencyMs.p95} ms, p99 ${run.latencyMs.p99} ms, ${run.errors.total} errors, peak RSS ${run.peakRssMiB} MiB`);
          runs.push({ ...run, gateway: t.kind, ...(invalid ? { invalid } : {}) });
          await quiesce(server.url, prefix, log);
        }
      }
      reports.push({ name, title: w.title, caller: `${w.caller.role} ${w.caller.org}`, statements, responseBytes: Buffer.byteLength(body), checkError: answer.error, runs });
      if (name === 'national') await measureFloor(reports[reports.length - 1]);
    }

    if (fanOut) {
      log('fanout: moving the partners back to the hub…');
      const done = fanOut;
      fanOut = undefined;
      await done.restore();
    }

    let fanOutReport: BenchReport['fanOut'];
    const single = (name: WorkloadName) => reports.find((r) => r.name === name)?.runs.find((run) => run.connections === 1 && run.gateway === 'hub');
    const [hubHosted, fanned] = [single('national'), single('fanout')];
    if (hubHosted && fanned) {
      fanOutReport = {
        nodes: nodeCount,
        hubHostedP50Ms: hubHosted.latencyMs.p50,
        fanOutP50Ms: fanned.latencyMs.p50,
        fanOutOverHubHosted: round(fanned.latencyMs.p50 / hubHosted.latencyMs.p50),
        sameNumbers: hubNational !== undefined && fanOutNational !== undefined && compareFigures(hubNational, fanOutNational),
      };
      log(`fanout: p50 ${fanned.latencyMs.p50} ms across ${nodeCount} nodes against ${hubHosted.latencyMs.p50} ms hub-hosted; same numbers: ${fanOutReport.sameNumbers}`);
    }

    const now = new Date();
    const full: BenchReport = {
      date: now.toISOString(),
      command: `npm run bench -- ${argv.join(' ')}`.trim(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
        memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
        platform: `${os.type()} ${os.release()} ${os.arch()}`,
        node: process.versions.node,
        postgres: server.version,
        postgresServer: server.kind,
      },
      scale,
      shape: datasetShape(scale),
      dataset,
      generation: generated ? { rows: generated.rows, totalRows: generated.totalRows, seconds: generated.seconds } : 'reused',
      settings: { durationSeconds: duration, connections, subgraphPoolSize: poolSize, gateways: gatewayKinds, gatewayNodeOptions },
      workloads: reports,
      floor: floorReport,
      ratio,
      fanOut: fanOutReport,
      ...report,
      processMaxRssMiB: round((process.resourceUsage().maxRSS * 1024) / MiB, 1),
    };
    mkdirSync(outDir, { recursive: true });
    const base = path.join(outDir, `${now.toISOString().slice(0, 10)}-scale${String(scale).replace(/[^0-9]/g, '_')}`);
    const md = markdown(full);
    writeFileSync(`${base}.json`, `${JSON.stringify({ ...full, targets: targets(full) }, null, 2)}\n`);
    writeFileSync(`${base}.md`, md);
    process.stdout.write(`${md}\n`);
    log(`Report written to ${path.relative(process.cwd(), base)}.{md,json}`);
  } finally {
    if (fanOut) {
      log('fanout: moving the partners back to the hub…');
      await fanOut.restore().catch((error: unknown) => log(`  could not move them all back: ${String(error)} (run without --reuse next time)`));
    }
    await Promise.all([...gateways.values()].map((g) => g.stop().catch(() => undefined)));
    await floor.close();
    await hub?.stop();
    await server.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  });
}
