import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SUBGRAPH_NAMES, type SubgraphName } from '@hub/core';
import { Client } from 'pg';
import type { Hub } from '@hub/hub';
import { datasetShape, rowsTable, type Dataset, type DatasetShape, type GenerateSummary } from './generate';
import { percentile, type LoadRequest, type LoadResult } from './load';
import { numberArg, parseArgs, prepare, prefixFor, startServer, databaseUrlsOf } from './setup';
import { startFanOut, type FanOut } from './fan-out';
import { DEFAULT_WORKLOADS, hubFigures, NationalFloor, WORKLOAD_NAMES, workloads, type PartnerFigures, type Workload, type WorkloadName } from './workloads';

/**
 * `npm run bench -- [--scale 10] [--duration 20] [--workloads national,partner,list,fanout] [--nodes 20] [--connections 1,32] [--reuse]`
 *
 * Generates the dataset (or reuses it), starts the hub in this process, and loads the gateway with
 * autocannon from a child process; then measures the SQL floor of the national dashboard and writes
 * the report to bench/results/<date>-scale<N>.{md,json}.
 */

interface Run extends LoadResult {
  /** Highest resident set size of this process (the hub: gateway and four subgraphs) sampled during the run. */
  peakRssMiB: number;
}

interface WorkloadReport {
  name: WorkloadName;
  title: string;
  caller: string;
  /** SQL statements one request sends to each subgraph's database (after a warm-up request). */
  statements: Record<SubgraphName, number> & { total: number };
  responseBytes: number;
  /** The single checked request's failure, when it failed (its statements are counted all the same). */
  checkError?: string;
  runs: Run[];
}

export interface BenchReport {
  date: string;
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; platform: string; node: string; postgres: string; postgresServer: string };
  scale: number;
  shape: DatasetShape;
  dataset: Dataset;
  generation: Pick<GenerateSummary, 'rows' | 'totalRows' | 'seconds'> | 'reused';
  settings: { durationSeconds: number; connections: number[]; subgraphPoolSize: number };
  workloads: WorkloadReport[];
  floor?: {
    iterations: number;
    latencyMs: { p50: number; p95: number; p99: number };
    /** The hub's national dashboard gives the floor's numbers. */
    matchesHub: boolean;
  };
  /** Hub p50 of the national dashboard at one connection over the floor's p50. */
  ratio?: { hubP50Ms: number; floorP50Ms: number; hubOverFloor: number };
  /** The national dashboard with partners on their own nodes against the same data hub-hosted (p50, one connection). */
  fanOut?: { nodes: number; hubHostedP50Ms: number; fanOutP50Ms: number; fanOutOverHubHosted: number; sameNumbers: boolean };
  /** Highest resident set size of this process over the whole run (generation included), from the OS. */
  processMaxRssMiB: number;
}

const MiB = 1024 * 1024;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

async function post(hub: Hub, token: string, workload: Workload): Promise<{ body: string; data: any }> {
  const res = await fetch(hub.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: workload.query, variables: workload.variables }),
  });
  const body = await res.text();
  const json = JSON.parse(body) as { data?: unknown; errors?: unknown[] };
  if (res.status !== 200 || json.errors) throw new Error(`the ${workload.name} workload failed (HTTP ${res.status}): ${body.slice(0, 1000)}`);
  return { body, data: json.data };
}

/** Runs autocannon in a child process against the gateway while sampling this process's RSS. */
async function load(request: LoadRequest): Promise<Run> {
  const child = fork(path.join(__dirname, 'load.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  try {
    const answer = await new Promise<{ result?: LoadResult; error?: string }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as { result?: LoadResult; error?: string }));
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the load generator exited (${code}) without a result`)));
      child.send(request);
    });
    if (!answer.result) throw new Error(`the load generator failed: ${answer.error}`);
    return { ...answer.result, peakRssMiB: round(peak / MiB, 1) };
  } finally {
    clearInterval(sampler);
    child.removeAllListeners('exit');
  }
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

function compareFigures(hub: PartnerFigures[], floor: PartnerFigures[]): boolean {
  const byId = (a: PartnerFigures, b: PartnerFigures) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return JSON.stringify([...hub].sort(byId)) === JSON.stringify([...floor].sort(byId));
}

export function markdown(r: BenchReport): string {
  const lines: string[] = [];
  const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
  lines.push(`# Benchmark: scale ${r.scale}, ${r.date}`, '');
  lines.push(`\`${r.command}\``, '');
  lines.push('## Machine', '');
  lines.push(`- ${r.machine.cpus} cores (${r.machine.cpuModel}), ${r.machine.memoryGiB} GiB memory, ${r.machine.platform}`);
  lines.push(`- Node.js ${r.machine.node}; PostgreSQL ${r.machine.postgres} (${r.machine.postgresServer}), on the same machine`);
  lines.push(`- the hub (gateway and four subgraphs) in one Node.js process, ${r.settings.subgraphPoolSize} database connections per subgraph; autocannon in a child process`, '');
  lines.push('## Dataset', '');
  const s = r.shape;
  lines.push(`Scale ${r.scale}: ${s.deliveryPartners} delivery partners, ${s.facilitators} facilitators, ${s.groups} groups, ${s.communitiesOfPractice} communities of practice.`);
  if (r.generation === 'reused') lines.push('', 'Reused from an earlier run (`--reuse`).');
  else {
    lines.push(`Generated ${r.generation.totalRows.toLocaleString('en')} rows in ${r.generation.seconds.total.toFixed(1)} s (COPY ${r.generation.seconds.copy.toFixed(1)} s, VACUUM ANALYZE ${r.generation.seconds.analyze.toFixed(1)} s):`, '');
    lines.push(rowsTable(r.generation));
  }
  lines.push('', `Period asked about: ${r.dataset.from.slice(0, 10)} to ${r.dataset.to.slice(0, 10)} (the last year: every session held).`, '');
  lines.push('## Through the gateway', '');
  lines.push(`Each run: ${r.settings.durationSeconds} s of back-to-back POSTs from the given number of connections. Latency in ms; errors are failed requests, non-2xx answers and answers with GraphQL \`errors\`; unfinished, requests still unanswered when the run ended.`, '');
  lines.push('| workload | connections | requests/s | p50 | p95 | p99 | max | requests | errors | unfinished | peak RSS MiB |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const w of r.workloads)
    for (const run of w.runs)
      lines.push(`| ${w.name} | ${run.connections} | ${run.requestsPerSecond.toFixed(1)} | ${ms(run.latencyMs.p50)} | ${ms(run.latencyMs.p95)} | ${ms(run.latencyMs.p99)} | ${ms(run.latencyMs.max)} | ${run.requests} | ${run.errors.total} | ${run.unfinished ?? '–'} | ${run.peakRssMiB} |`);
  lines.push('', 'SQL statements per request (one warm request; each subgraph request also spends 3 on its transaction and scope):', '');
  lines.push(`| workload | ${SUBGRAPH_NAMES.join(' | ')} | total | response bytes |`);
  lines.push(`|---|${SUBGRAPH_NAMES.map(() => '---:').join('|')}|---:|---:|`);
  for (const w of r.workloads) lines.push(`| ${w.name} | ${SUBGRAPH_NAMES.map((n) => w.statements[n]).join(' | ')} | ${w.statements.total} | ${w.responseBytes.toLocaleString('en')} |`);
  lines.push('', 'Workloads:', '');
  for (const w of r.workloads) lines.push(`- **${w.name}**: ${w.title}.`);
  for (const w of r.workloads) if (w.checkError) lines.push('', `The checked ${w.name} request failed: ${w.checkError.slice(0, 600)}`);
  const firstErrors = r.workloads.flatMap((w) => w.runs.filter((run) => run.firstError).map((run) => `- ${w.name} at ${run.connections}: ${run.firstError}`));
  if (firstErrors.length) lines.push('', 'First error of each run that had one:', '', ...firstErrors);
  if (r.floor) {
    lines.push('', '## SQL floor of the national dashboard', '');
    lines.push(
      `The same numbers by SQL on each subgraph's database as its owner, the partners first and then the other three databases in parallel, one request at a time: p50 ${ms(r.floor.latencyMs.p50)} ms, p95 ${ms(r.floor.latencyMs.p95)} ms, p99 ${ms(r.floor.latencyMs.p99)} ms over ${r.floor.iterations} iterations. The hub's answer ${r.floor.matchesHub ? 'equals' : 'DIFFERS FROM'} the floor's numbers.`,
    );
  }
  if (r.ratio) lines.push('', `**Hub / floor (p50, one connection): ${r.ratio.hubP50Ms.toFixed(1)} ms / ${r.ratio.floorP50Ms.toFixed(1)} ms = ${r.ratio.hubOverFloor.toFixed(2)}×**`);
  if (r.fanOut) {
    lines.push('', '## Fan-out across partner nodes', '');
    lines.push(
      `The national dashboard with ${r.fanOut.nodes} delivery partners on their own partner nodes (each three subgraphs on its own databases, in this process, on the same PostgreSQL server) against the same data hub-hosted, p50 at one connection: **${r.fanOut.fanOutP50Ms.toFixed(1)} ms / ${r.fanOut.hubHostedP50Ms.toFixed(1)} ms = ${r.fanOut.fanOutOverHubHosted.toFixed(2)}×**. The numbers ${r.fanOut.sameNumbers ? 'are the same' : 'DIFFER'} both ways.`,
    );
  }
  lines.push('', `Process max RSS over the whole run (generation included): ${r.processMaxRssMiB} MiB.`, '');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const scale = numberArg(args, 'scale', 10);
  const duration = numberArg(args, 'duration', 20);
  const names = (args.get('workloads') ?? DEFAULT_WORKLOADS.join(',')).split(',').map((w) => w.trim()) as WorkloadName[];
  for (const n of names) if (!WORKLOAD_NAMES.includes(n)) throw new Error(`unknown workload ${n}: choose from ${WORKLOAD_NAMES.join(', ')}`);
  // partner nodes come last: every other workload runs on the data hub-hosted
  names.sort((a, b) => Number(a === 'fanout') - Number(b === 'fanout'));
  const nodeCount = numberArg(args, 'nodes', 20);
  const connections = (args.get('connections') ?? '1,32').split(',').map((c) => {
    const n = Number(c);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--connections takes whole numbers, not ${c}`);
    return n;
  });
  const reuse = args.has('reuse');
  const outDir = path.resolve(args.get('out') ?? path.join(__dirname, '../results'));
  const poolSize = numberArg(args, 'pool-size', 10);
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const server = await startServer(log);
  const floor = new NationalFloor(databaseUrlsOf(server.url, prefixFor(scale)));
  let hub: Hub | undefined;
  let fanOut: FanOut | undefined;
  try {
    const prepared = await prepare({ serverUrl: server.url, scale, reuse, log, hub: { poolSize } });
    hub = prepared.hub;
    const { dataset, generated } = prepared;
    if (generated) log(`Generated ${generated.totalRows.toLocaleString('en')} rows in ${generated.seconds.total.toFixed(1)} s`);
    const all = workloads(dataset);
    const reports: WorkloadReport[] = [];
    let hubNational: PartnerFigures[] | undefined;
    let fanOutNational: PartnerFigures[] | undefined;
    // the hub's subgraphs, and the partner nodes' once they run
    const statementsOf = (n: SubgraphName) => hub!.subgraphs[n].statements.count + (n === 'partners' ? 0 : (fanOut?.statements()[n] ?? 0));

    for (const name of names) {
      const w = all[name];
      if (name === 'fanout') {
        log(`fanout: starting ${nodeCount} partner nodes and moving a delivery partner onto each…`);
        fanOut = await startFanOut({ hub, serverUrl: server.url, prefix: prefixFor(scale), dataset, count: nodeCount, log });
      }
      const token = await hub.token({ ...w.caller, ttlSeconds: 6 * 3600 });
      // warm up (JIT, plan caches, the caller's scope), then count one request's statements
      const warmUntil = Date.now() + 15_000;
      for (let i = 0; i < 5 && Date.now() < warmUntil; i++) await post(hub, token, w).catch(() => undefined);
      await quiesce(server.url, prefixFor(scale), log);
      const before = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, statementsOf(n)]));
      let answer: { body: string; data: any; error?: string };
      try {
        answer = await post(hub, token, w);
      } catch (error) {
        answer = { body: '', data: undefined, error: error instanceof Error ? error.message : String(error) };
        log(`  ${answer.error}`);
      }
      const { body, data } = answer;
      const statements = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, statementsOf(n) - before[n]])) as WorkloadReport['statements'];
      statements.total = SUBGRAPH_NAMES.reduce((s, n) => s + statements[n], 0);
      if (name === 'national' && data) hubNational = hubFigures(data);
      if (name === 'fanout' && data) fanOutNational = hubFigures(data);
      const runs: Run[] = [];
      for (const c of connections) {
        log(`${name}: ${c} connection${c === 1 ? '' : 's'} for ${duration} s…`);
        const run = await load({ url: hub.gatewayUrl, body: JSON.stringify({ query: w.query, variables: w.variables }), token, connections: c, durationSeconds: duration });
        log(`  ${run.requestsPerSecond} req/s, p50 ${run.latencyMs.p50} ms, p95 ${run.latencyMs.p95} ms, p99 ${run.latencyMs.p99} ms, ${run.errors.total} errors, peak RSS ${run.peakRssMiB} MiB`);
        runs.push(run);
        await quiesce(server.url, prefixFor(scale), log);
      }
      reports.push({ name, title: w.title, caller: `${w.caller.role} ${w.caller.org}`, statements, responseBytes: Buffer.byteLength(body), checkError: answer.error, runs });
    }

    // the floor reads the hub's own databases: the partners come back there first
    if (fanOut) {
      log('fanout: moving the partners back to the hub…');
      const done = fanOut;
      fanOut = undefined;
      await done.restore();
    }

    // the SQL floor of the national dashboard, one request at a time
    let floorReport: BenchReport['floor'];
    let ratio: BenchReport['ratio'];
    if (names.includes('national')) {
      const national = reports.find((r) => r.name === 'national') as WorkloadReport;
      let single = national.runs.find((r) => r.connections === 1);
      if (!single) {
        log('national: 1 connection for the ratio…');
        const token = await hub.token({ ...all.national.caller, ttlSeconds: 6 * 3600 });
        single = await load({ url: hub.gatewayUrl, body: JSON.stringify({ query: all.national.query, variables: all.national.variables }), token, connections: 1, durationSeconds: Math.min(duration, 10) });
      }
      log(`SQL floor of the national dashboard for ${duration} s…`);
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
        matchesHub: hubNational !== undefined && compareFigures(hubNational, figures),
      };
      ratio = { hubP50Ms: single.latencyMs.p50, floorP50Ms: floorReport.latencyMs.p50, hubOverFloor: round(single.latencyMs.p50 / floorReport.latencyMs.p50) };
      log(`  floor p50 ${floorReport.latencyMs.p50} ms; hub/floor ${ratio.hubOverFloor}; numbers match: ${floorReport.matchesHub}`);
    }

    let fanOutReport: BenchReport['fanOut'];
    const single = (name: WorkloadName) => reports.find((r) => r.name === name)?.runs.find((run) => run.connections === 1);
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
    const report: BenchReport = {
      date: now.toISOString(),
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
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
      settings: { durationSeconds: duration, connections, subgraphPoolSize: poolSize },
      workloads: reports,
      floor: floorReport,
      ratio,
      fanOut: fanOutReport,
      processMaxRssMiB: round((process.resourceUsage().maxRSS * 1024) / MiB, 1),
    };
    mkdirSync(outDir, { recursive: true });
    const base = path.join(outDir, `${now.toISOString().slice(0, 10)}-scale${scale}`);
    const md = markdown(report);
    writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(`${base}.md`, md);
    process.stdout.write(`${md}\n`);
    log(`Report written to ${path.relative(process.cwd(), base)}.{md,json}`);
  } finally {
    if (fanOut) {
      log('fanout: moving the partners back to the hub…');
      await fanOut.restore().catch((error: unknown) => log(`  could not move them all back: ${String(error)} (run without --reuse next time)`));
    }
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
