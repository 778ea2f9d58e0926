import type { GatewayChild } from './gateway-child';
import type { MemoryReport } from './report';
import { load } from './run-load';
import type { Workload } from './workloads';

const WARM_UP_SECONDS = 15;

/**
 * Memory over a long run: `workload` at `connections` through the hub's gateway, first a warm-up
 * (code compiled, caches and pools filled), then `seconds` measured while the gateway process's
 * RSS is read every second; growth is the end over the figure right after the warm-up.
 */
export async function runMemory(options: { gateway: GatewayChild; workload: Workload; token: string; connections: number; seconds: number; log: (line: string) => void }): Promise<MemoryReport> {
  const { gateway, workload, token, connections, log } = options;
  const body = JSON.stringify({ query: workload.query, variables: workload.variables });
  log(`memory: ${workload.name} at ${connections} connections, ${WARM_UP_SECONDS} s warm-up…`);
  await load({ url: gateway.url, body, token, connections, durationSeconds: WARM_UP_SECONDS }, gateway.pid);
  const afterWarmUp = gateway.rssMiB();
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(gateway.rssMiB()), 1000);
  log(`  then ${options.seconds} s measured (RSS ${afterWarmUp} MiB)…`);
  const run = await load({ url: gateway.url, body, token, connections, durationSeconds: options.seconds }, gateway.pid);
  clearInterval(timer);
  const end = gateway.rssMiB();
  const all = [afterWarmUp, ...samples, end];
  const growthPercent = Math.round(((end - afterWarmUp) / afterWarmUp) * 1000) / 10;
  log(`  RSS ${afterWarmUp} → ${end} MiB (${growthPercent}%), ${run.requests} requests, ${run.errors.total} errors`);
  return {
    workload: workload.name,
    connections,
    warmUpSeconds: WARM_UP_SECONDS,
    seconds: options.seconds,
    requests: run.requests,
    errors: run.errors.total,
    rssMiB: { afterWarmUp, end, min: Math.min(...all), max: Math.max(...all) },
    growthPercent,
    every10sMiB: samples.filter((_, i) => (i + 1) % 10 === 0),
  };
}
