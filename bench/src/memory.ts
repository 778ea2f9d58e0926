import type { GatewayChild } from './gateway-child';
import type { MemoryReport } from './report';
import { load } from './run-load';
import type { Workload } from './workloads';


/** RSS samples are taken once a second; the medians compare this many seconds at each end. */
const WINDOW_SECONDS = 20;

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : 0;
};
const percentChange = (from: number, to: number) => Math.round(((to - from) / from) * 1000) / 10;

/**
 * Memory over a long run: `workload` at `connections` through the hub's gateway, first a warm-up
 * (code compiled, caches and pools filled), then `seconds` measured while the gateway process's
 * RSS is read every second. A garbage-collected heap's RSS is a sawtooth, so one sample at each
 * end says more about where the collector was than about growth. Growth is therefore measured
 * two ways, and both must stay within the target: the RSS right after a full collection before
 * and after the measured run (what the gateway still holds: a leak shows here), and the median
 * RSS of the first and of the last 20 s of the run (the footprint under load).
 */
export async function runMemory(options: { gateway: GatewayChild; workload: Workload; token: string; connections: number; warmUpSeconds: number; seconds: number; log: (line: string) => void }): Promise<MemoryReport> {
  const { gateway, workload, token, connections, warmUpSeconds, log } = options;
  const body = JSON.stringify({ query: workload.query, variables: workload.variables });
  log(`memory: ${workload.name} at ${connections} connections, ${warmUpSeconds} s warm-up…`);
  await load({ url: gateway.url, body, token, connections, durationSeconds: warmUpSeconds }, gateway.pid);
  const afterWarmUp = gateway.rssMiB();
  const warm = await gateway.afterGc();
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(gateway.rssMiB()), 1000);
  log(`  then ${options.seconds} s measured (RSS ${afterWarmUp} MiB; after a full collection ${warm.rssMiB} MiB, heap in use ${warm.heapUsedMiB} MiB)…`);
  const run = await load({ url: gateway.url, body, token, connections, durationSeconds: options.seconds }, gateway.pid);
  clearInterval(timer);
  const end = gateway.rssMiB();
  const done = await gateway.afterGc();
  const window = Math.max(1, Math.min(WINDOW_SECONDS, Math.floor(samples.length / 2)));
  const firstMedian = median(samples.slice(0, window));
  const lastMedian = median(samples.slice(-window));
  const all = [afterWarmUp, ...samples, end];
  const report: MemoryReport = {
    workload: workload.name,
    connections,
    warmUpSeconds,
    seconds: options.seconds,
    requests: run.requests,
    errors: run.errors.total,
    rssMiB: { afterWarmUp, end, min: Math.min(...all), max: Math.max(...all) },
    afterGcMiB: { afterWarmUp: warm.rssMiB, end: done.rssMiB, growthPercent: percentChange(warm.rssMiB, done.rssMiB) },
    heapUsedAfterGcMiB: { afterWarmUp: warm.heapUsedMiB, end: done.heapUsedMiB, growthPercent: percentChange(warm.heapUsedMiB, done.heapUsedMiB) },
    medianMiB: { windowSeconds: window, first: firstMedian, last: lastMedian, growthPercent: percentChange(firstMedian, lastMedian) },
    every10sMiB: samples.filter((_, i) => (i + 1) % 10 === 0),
  };
  log(
    `  after a full collection ${warm.rssMiB} → ${done.rssMiB} MiB (${report.afterGcMiB.growthPercent}%), heap in use ${warm.heapUsedMiB} → ${done.heapUsedMiB} MiB (${report.heapUsedAfterGcMiB.growthPercent}%), median of the first and last ${window} s ${firstMedian} → ${lastMedian} MiB (${report.medianMiB.growthPercent}%), ${run.requests} requests, ${run.errors.total} errors`,
  );
  return report;
}
