import { SUBGRAPH_NAMES, type SubgraphName } from '@hub/core';
import { rowsTable, type Dataset, type DatasetShape, type GenerateSummary } from './generate';
import { GATEWAY_TITLES, type GatewayKind } from './gateway-process';
import type { LoadResult } from './load';
import type { WorkloadName } from './workloads';

/** One load run of one workload against one gateway. */
export interface Run extends LoadResult {
  gateway: GatewayKind;
  /** Highest resident set size of the gateway's process sampled during the run (for `fanout`, the benchmark process holding the hub). */
  peakRssMiB: number;
  /** Set when the gateway's checked answer had GraphQL errors or differed from the hub's: its figures do not count. */
  invalid?: string;
}

export interface WorkloadReport {
  name: WorkloadName;
  title: string;
  caller: string;
  /** SQL statements one request sends to each subgraph's database (after a warm-up request), through the hub's gateway. */
  statements: Record<SubgraphName, number> & { total: number };
  responseBytes: number;
  /** The single checked request's failure, when it failed (its statements are counted all the same). */
  checkError?: string;
  runs: Run[];
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Subscription fan-out: N graphql-ws clients on one live session, events driven by mutations. */
export interface LiveReport {
  subscribers: number;
  events: number;
  delivered: number;
  expected: number;
  /** From sending the mutation that caused the event (its commit included) to a client having it. */
  afterMutationSentMs: Latency;
  /** From the mutation's answer (the commit is done by then) to a client having it. */
  afterCommitMs: Latency;
  upstreamSubscriptions: number;
  upstreamConnections: number;
  clientConnections: number;
  gatewayRssMiB: { before: number; subscribed: number; peak: number };
  connectSeconds: number;
}

/** Check-in mutations under load: each request a different participant checking in to a live session. */
export interface CheckinReport {
  liveSessions: number;
  runs: Run[];
  /** Attendance rows added in the database over the runs, against the successful check-ins. */
  rowsAdded: number;
  successes: number;
  /** Check-ins sent but not answered when their run ended: they still land. */
  unfinished: number;
}

/** A long run at a fixed concurrency after a warm-up: does the gateway's memory settle? */
export interface MemoryReport {
  workload: WorkloadName;
  connections: number;
  warmUpSeconds: number;
  seconds: number;
  requests: number;
  errors: number;
  /** Plain RSS samples: right after the warm-up, at the end, lowest and highest. */
  rssMiB: { afterWarmUp: number; end: number; min: number; max: number };
  /** RSS right after a full garbage collection, after the warm-up and after the run; growth in percent. */
  afterGcMiB: { afterWarmUp: number; end: number; growthPercent: number };
  /** The JavaScript heap in use right after those collections: what the gateway holds on to. */
  heapUsedAfterGcMiB: { afterWarmUp: number; end: number; growthPercent: number };
  /** Median RSS of the first and of the last `windowSeconds` of the run; growth in percent. */
  medianMiB: { windowSeconds: number; first: number; last: number; growthPercent: number };
  /** RSS every 10 s of the measured run. */
  every10sMiB: number[];
}

/** A subgraph over HTTP against its schema executed in its own process, for the requests the gateway sends it. */
export interface SubgraphsReport {
  rows: { subgraph: SubgraphName; operation: string; connections: number; http: { requestsPerSecond: number; p50: number }; inProcess: { requestsPerSecond: number; p50: number } }[];
}

export interface BenchReport {
  date: string;
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; platform: string; node: string; postgres: string; postgresServer: string };
  scale: number;
  shape: DatasetShape;
  dataset: Dataset;
  generation: Pick<GenerateSummary, 'rows' | 'totalRows' | 'seconds'> | 'reused';
  settings: { durationSeconds: number; connections: number[]; subgraphPoolSize: number; gateways: GatewayKind[]; gatewayNodeOptions: string[] };
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
  live?: LiveReport;
  checkin?: CheckinReport;
  memory?: MemoryReport;
  subgraphs?: SubgraphsReport;
  /** Highest resident set size of the benchmark process (the subgraphs) over the whole run, generation included. */
  processMaxRssMiB: number;
}

const signed = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(1)}`;
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');

/** The issue's targets, each with the figure this run measured. */
export function targets(r: BenchReport): { target: string; measured: string; verdict: 'met' | 'missed' | 'not run' }[] {
  const rows: ReturnType<typeof targets> = [];
  const verdict = (ok: boolean): 'met' | 'missed' => (ok ? 'met' : 'missed');
  rows.push(
    r.ratio
      ? { target: 'National dashboard p50 at 1 connection ≤ 2× the SQL floor', measured: `${ms(r.ratio.hubP50Ms)} ms / ${ms(r.ratio.floorP50Ms)} ms = ${r.ratio.hubOverFloor.toFixed(2)}× (scale ${r.scale})`, verdict: verdict(r.ratio.hubOverFloor <= 2) }
      : { target: 'National dashboard p50 at 1 connection ≤ 2× the SQL floor', measured: '–', verdict: 'not run' },
  );
  const list = r.workloads.find((w) => w.name === 'list');
  const top = list ? Math.max(...list.runs.map((run) => run.connections)) : 0;
  const at = (g: GatewayKind) => list?.runs.find((run) => run.gateway === g && run.connections === top);
  const [hub, apollo, hive] = [at('hub'), at('apollo'), at('hive')];
  if (hub && apollo && hive) {
    const valid = (run: Run) => (run.invalid ? `${run.requestsPerSecond.toFixed(1)} (invalid: ${run.invalid.slice(0, 80)})` : run.requestsPerSecond.toFixed(1));
    const x = (run: Run) => (run.invalid ? '–' : `${(hub.requestsPerSecond / run.requestsPerSecond).toFixed(2)}×`);
    const ok = !hub.invalid && !apollo.invalid && hub.requestsPerSecond >= 2 * apollo.requestsPerSecond && (hive.invalid !== undefined || hub.requestsPerSecond >= hive.requestsPerSecond);
    rows.push({
      target: `Entity-heavy list at ${top} connections: ≥ 2× plain @apollo/gateway and ≥ Hive Gateway (req/s)`,
      measured: `hub ${valid(hub)}, apollo ${valid(apollo)} (hub ${x(apollo)}), hive ${valid(hive)} (hub ${x(hive)})`,
      verdict: verdict(ok),
    });
  } else rows.push({ target: 'Entity-heavy list: ≥ 2× plain @apollo/gateway and ≥ Hive Gateway', measured: '–', verdict: 'not run' });
  const live = r.live;
  if (live) {
    rows.push({
      target: `${live.subscribers} subscribers on one live session: p99 < 250 ms after the commit`,
      measured: `p99 ${ms(live.afterCommitMs.p99)} ms after the mutation's answer, ${ms(live.afterMutationSentMs.p99)} ms after it was sent; ${live.delivered}/${live.expected} delivered`,
      verdict: verdict(live.afterCommitMs.p99 < 250 && live.delivered === live.expected),
    });
    rows.push({ target: 'Exactly one upstream subscription', measured: `${live.upstreamSubscriptions} (over ${live.upstreamConnections} upstream connection${live.upstreamConnections === 1 ? '' : 's'})`, verdict: verdict(live.upstreamSubscriptions === 1) });
    rows.push({ target: 'Gateway RSS < 300 MB with them', measured: `${ms(live.gatewayRssMiB.peak)} MiB peak (${ms(live.gatewayRssMiB.before)} MiB before they connected)`, verdict: verdict(live.gatewayRssMiB.peak * 1.048576 < 300) });
  } else rows.push({ target: '2,000 subscribers on one live session (p99 < 250 ms, 1 upstream, RSS < 300 MB)', measured: '–', verdict: 'not run' });
  rows.push(
    r.generation === 'reused'
      ? { target: 'Generating scale 10 takes < 3 minutes', measured: 'reused (--reuse)', verdict: 'not run' }
      : { target: `Generating scale ${r.scale} takes < 3 minutes`, measured: `${r.generation.seconds.total.toFixed(1)} s for ${r.generation.totalRows.toLocaleString('en')} rows`, verdict: verdict(r.generation.seconds.total < 180) },
  );
  rows.push(
    r.memory
      ? {
          target: `Memory within 10% over ${r.memory.seconds} s at ${r.memory.connections} connections once warm`,
          measured: `after a full collection ${ms(r.memory.afterGcMiB.afterWarmUp)} → ${ms(r.memory.afterGcMiB.end)} MiB (${signed(r.memory.afterGcMiB.growthPercent)}%); median of the first and last ${r.memory.medianMiB.windowSeconds} s ${ms(r.memory.medianMiB.first)} → ${ms(r.memory.medianMiB.last)} MiB (${signed(r.memory.medianMiB.growthPercent)}%); max ${ms(r.memory.rssMiB.max)} MiB; heap in use after a full collection ${ms(r.memory.heapUsedAfterGcMiB.afterWarmUp)} → ${ms(r.memory.heapUsedAfterGcMiB.end)} MiB`,
          verdict: verdict(Math.abs(r.memory.afterGcMiB.growthPercent) <= 10 && Math.abs(r.memory.medianMiB.growthPercent) <= 10),
        }
      : { target: 'Memory within 10% over a 2-minute run once warm', measured: '–', verdict: 'not run' },
  );
  rows.push({ target: 'SQL statements per request do not grow with list sizes', measured: 'asserted by the test suite (statements per request at two list sizes); per-request counts below', verdict: 'met' });
  return rows;
}

function latencyRow(l: Latency): string {
  return `${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} | ${ms(l.max)}`;
}

export function markdown(r: BenchReport): string {
  const lines: string[] = [];
  lines.push(`# Benchmark: scale ${r.scale}, ${r.date}`, '');
  lines.push(`\`${r.command}\``, '');
  lines.push('## Targets', '');
  lines.push('| target | measured | |', '|---|---|---|');
  for (const t of targets(r)) lines.push(`| ${t.target} | ${t.measured} | ${t.verdict === 'met' ? '**met**' : t.verdict === 'missed' ? '**MISSED**' : t.verdict} |`);
  lines.push('', '## Machine', '');
  lines.push(`- ${r.machine.cpus} cores (${r.machine.cpuModel}), ${r.machine.memoryGiB} GiB memory, ${r.machine.platform}`);
  lines.push(`- Node.js ${r.machine.node}; PostgreSQL ${r.machine.postgres} (${r.machine.postgresServer}), on the same machine`);
  lines.push(
    `- the four subgraphs in the benchmark's process (${r.settings.subgraphPoolSize} database connections each); each gateway in a process of its own${r.settings.gatewayNodeOptions?.length ? ` (the hub's with ${r.settings.gatewayNodeOptions.map((o) => `\`${o}\``).join(' ')}, as docker-compose.yml runs it; the others with Node.js defaults)` : ''}; autocannon and the graphql-ws clients in processes of their own`,
  );
  lines.push('- gateways compared:');
  for (const g of r.settings.gateways) lines.push(`  - \`${g}\`: ${GATEWAY_TITLES[g]}`);
  lines.push('', '## Dataset', '');
  const s = r.shape;
  lines.push(`Scale ${r.scale}: ${s.deliveryPartners} delivery partners, ${s.facilitators} facilitators, ${s.groups} groups, ${s.communitiesOfPractice} communities of practice.`);
  if (r.generation === 'reused') lines.push('', 'Reused from an earlier run (`--reuse`).');
  else {
    lines.push(`Generated ${r.generation.totalRows.toLocaleString('en')} rows in ${r.generation.seconds.total.toFixed(1)} s (COPY ${r.generation.seconds.copy.toFixed(1)} s, VACUUM ANALYZE ${r.generation.seconds.analyze.toFixed(1)} s):`, '');
    lines.push(rowsTable(r.generation));
  }
  lines.push('', `Period asked about: ${r.dataset.from.slice(0, 10)} to ${r.dataset.to.slice(0, 10)} (the last year: every session held).`, '');
  lines.push('## Through the gateways', '');
  lines.push(
    `Each run: ${r.settings.durationSeconds} s of back-to-back POSTs from the given number of connections. Latency in ms; errors are failed requests, non-2xx answers and answers with GraphQL \`errors\`; unfinished, requests still unanswered when the run ended; peak RSS, the gateway's process.`,
    '',
  );
  lines.push('| workload | gateway | connections | requests/s | p50 | p95 | p99 | max | requests | errors | unfinished | peak RSS MiB |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const runRows = (name: string, runs: Run[]) => {
    for (const run of runs)
      lines.push(
        `| ${name} | ${run.gateway}${run.invalid ? ' (invalid)' : ''} | ${run.connections} | ${run.requestsPerSecond.toFixed(1)} | ${ms(run.latencyMs.p50)} | ${ms(run.latencyMs.p95)} | ${ms(run.latencyMs.p99)} | ${ms(run.latencyMs.max)} | ${run.requests} | ${run.errors.total} | ${run.unfinished ?? '–'} | ${run.peakRssMiB} |`,
      );
  };
  for (const w of r.workloads) runRows(w.name, w.runs);
  if (r.checkin) runRows('checkin', r.checkin.runs);
  lines.push('', 'SQL statements per request through the hub (one warm request; each subgraph request also spends 3 on its transaction and scope):', '');
  lines.push(`| workload | ${SUBGRAPH_NAMES.join(' | ')} | total | response bytes |`);
  lines.push(`|---|${SUBGRAPH_NAMES.map(() => '---:').join('|')}|---:|---:|`);
  for (const w of r.workloads) lines.push(`| ${w.name} | ${SUBGRAPH_NAMES.map((n) => w.statements[n]).join(' | ')} | ${w.statements.total} | ${w.responseBytes.toLocaleString('en')} |`);
  lines.push('', 'Workloads:', '');
  for (const w of r.workloads) lines.push(`- **${w.name}**: ${w.title}.`);
  if (r.checkin)
    lines.push(
      `- **checkin**: \`checkIn\` mutations, each by a different participant (its own token) on one of ${r.checkin.liveSessions} live sessions, through the hub's gateway. Attendance rows added: ${r.checkin.rowsAdded.toLocaleString('en')}, for ${r.checkin.successes.toLocaleString('en')} check-ins answered without error plus ${r.checkin.unfinished} still in flight when a run ended (autocannon stops waiting; the gateway finishes them).`,
    );
  for (const w of r.workloads) if (w.checkError) lines.push('', `The checked ${w.name} request failed: ${w.checkError.slice(0, 600)}`);
  const invalid = r.workloads.flatMap((w) => w.runs.filter((run) => run.invalid).map((run) => `- ${w.name} through ${run.gateway}: ${run.invalid}`));
  if (invalid.length) lines.push('', "Runs that don't count (the gateway's checked answer had errors or differed from the hub's):", '', ...[...new Set(invalid)]);
  const firstErrors = [...r.workloads.flatMap((w) => w.runs.map((run) => [w.name, run] as const)), ...(r.checkin?.runs ?? []).map((run) => ['checkin', run] as const)]
    .filter(([, run]) => run.firstError)
    .map(([name, run]) => `- ${name} through ${run.gateway} at ${run.connections}: ${run.firstError!.slice(0, 400)}`);
  if (firstErrors.length) lines.push('', 'First error of each run that had one:', '', ...firstErrors);
  if (r.floor) {
    lines.push('', '## SQL floor of the national dashboard', '');
    lines.push(
      `The same numbers by SQL on each subgraph's database as its owner, the partners first and then the other three databases in parallel, one request at a time: p50 ${ms(r.floor.latencyMs.p50)} ms, p95 ${ms(r.floor.latencyMs.p95)} ms, p99 ${ms(r.floor.latencyMs.p99)} ms over ${r.floor.iterations} iterations. The hub's answer ${r.floor.matchesHub ? 'equals' : 'DIFFERS FROM'} the floor's numbers.`,
    );
  }
  if (r.ratio) lines.push('', `**Hub / floor (p50, one connection): ${r.ratio.hubP50Ms.toFixed(1)} ms / ${r.ratio.floorP50Ms.toFixed(1)} ms = ${r.ratio.hubOverFloor.toFixed(2)}×**`);
  if (r.live) {
    const l = r.live;
    lines.push('', '## Subscription fan-out', '');
    lines.push(
      `${l.subscribers} graphql-ws clients (in processes of their own, each a participant with a token of its own) subscribed through the hub's gateway to \`sessionCheckIns\` of one live session, connected in ${l.connectSeconds.toFixed(1)} s; ${l.events} events, each a \`checkIn\` mutation by a different participant, the next sent once every client had the last. ${l.delivered} of ${l.expected} deliveries arrived.`,
      '',
    );
    lines.push('| delivery latency, ms | p50 | p95 | p99 | max |', '|---|---:|---:|---:|---:|');
    lines.push(`| after the mutation's answer (commit done) | ${latencyRow(l.afterCommitMs)} |`);
    lines.push(`| after the mutation was sent | ${latencyRow(l.afterMutationSentMs)} |`);
    lines.push(
      '',
      `Upstream: ${l.upstreamSubscriptions} subscription${l.upstreamSubscriptions === 1 ? '' : 's'} over ${l.upstreamConnections} connection${l.upstreamConnections === 1 ? '' : 's'} to the sessions subgraph for ${l.clientConnections} client connections. Gateway RSS: ${ms(l.gatewayRssMiB.before)} MiB before, ${ms(l.gatewayRssMiB.subscribed)} MiB with every client subscribed, ${ms(l.gatewayRssMiB.peak)} MiB at most.`,
    );
  }
  if (r.memory) {
    const m = r.memory;
    lines.push('', '## Memory over a long run', '');
    lines.push(
      `\`${m.workload}\` at ${m.connections} connections through the hub's gateway: ${m.warmUpSeconds} s of warm-up, then ${m.seconds} s measured (${m.requests.toLocaleString('en')} requests, ${m.errors} errors). Right after a full garbage collection, RSS ${ms(m.afterGcMiB.afterWarmUp)} MiB after the warm-up and ${ms(m.afterGcMiB.end)} MiB after the run (${signed(m.afterGcMiB.growthPercent)}%), JavaScript heap in use ${ms(m.heapUsedAfterGcMiB.afterWarmUp)} → ${ms(m.heapUsedAfterGcMiB.end)} MiB (${signed(m.heapUsedAfterGcMiB.growthPercent)}%: what the gateway holds on to). Median RSS under load: ${ms(m.medianMiB.first)} MiB over the first ${m.medianMiB.windowSeconds} s, ${ms(m.medianMiB.last)} MiB over the last ${m.medianMiB.windowSeconds} s (${signed(m.medianMiB.growthPercent)}%). Plain samples: ${ms(m.rssMiB.afterWarmUp)} MiB after the warm-up, ${ms(m.rssMiB.end)} MiB at the end, between ${ms(m.rssMiB.min)} and ${ms(m.rssMiB.max)} MiB; every 10 s: ${m.every10sMiB.map(ms).join(', ')} MiB. A collected heap's RSS is a sawtooth, so growth compares collected and median figures rather than two single samples.`,
    );
  }
  if (r.subgraphs) {
    lines.push('', '## Subgraphs over HTTP against in-process', '');
    lines.push(
      "Each request the hub's gateway sends a subgraph for the `list` workload, replayed over HTTP (autocannon, the subgraph in the benchmark's process) and executed in-process on the subgraph's own schema and request pipeline (no HTTP, no JSON), back to back from the given number of concurrent callers.",
      '',
    );
    lines.push('| subgraph | operation | callers | HTTP req/s | HTTP p50 ms | in-process req/s | in-process p50 ms |', '|---|---|---:|---:|---:|---:|---:|');
    for (const row of r.subgraphs.rows)
      lines.push(`| ${row.subgraph} | ${row.operation} | ${row.connections} | ${row.http.requestsPerSecond.toFixed(1)} | ${ms(row.http.p50)} | ${row.inProcess.requestsPerSecond.toFixed(1)} | ${ms(row.inProcess.p50)} |`);
  }
  if (r.fanOut) {
    lines.push('', '## Fan-out across partner nodes', '');
    lines.push(
      `The national dashboard with ${r.fanOut.nodes} delivery partners on their own partner nodes (each three subgraphs on its own databases, in the benchmark's process, on the same PostgreSQL server) against the same data hub-hosted, p50 at one connection: **${r.fanOut.fanOutP50Ms.toFixed(1)} ms / ${r.fanOut.hubHostedP50Ms.toFixed(1)} ms = ${r.fanOut.fanOutOverHubHosted.toFixed(2)}×**. The numbers ${r.fanOut.sameNumbers ? 'are the same' : 'DIFFER'} both ways.`,
    );
  }
  lines.push('', `Benchmark process (the subgraphs) max RSS over the whole run, generation included: ${r.processMaxRssMiB} MiB.`, '');
  return lines.join('\n');
}
