import type { Hub } from '@hub/hub';
import type { Dataset } from './generate';
import type { GatewayChild } from './gateway-child';
import { attendanceRows, CHECK_IN, participantToken } from './live';
import type { LoadRequest, LoadResult } from './load';
import type { CheckinReport, Run } from './report';

/** Distinct check-ins one run can make at most (more would repeat a participant, which changes nothing). */
const PER_SECOND = 400;

/**
 * Check-in mutations under load through the hub's gateway: each request a different participant
 * (its own token and subject) checking in to one of the live sessions, so every success is a new
 * attendance row; the report sets the rows the database gained against the successes.
 */
export async function runCheckins(options: {
  hub: Hub;
  gateway: GatewayChild;
  dataset: Dataset;
  sessionIds: string[];
  connections: number[];
  durationSeconds: number;
  load(request: LoadRequest, pid: number): Promise<LoadResult & { peakRssMiB: number }>;
  log: (line: string) => void;
}): Promise<CheckinReport> {
  const { hub, gateway, dataset, sessionIds, log } = options;
  const before = await attendanceRows(hub, sessionIds);
  const runs: Run[] = [];
  let participant = 0;
  for (const c of options.connections) {
    const count = Math.ceil(options.durationSeconds * PER_SECOND);
    const varied = await Promise.all(
      Array.from({ length: count }, async (_, i) => ({
        token: await participantToken(hub, dataset, `${Date.now().toString(36)}-${participant + i}`),
        body: JSON.stringify({ query: CHECK_IN, variables: { id: sessionIds[(participant + i) % sessionIds.length] } }),
      })),
    );
    participant += count;
    log(`checkin: ${c} connection${c === 1 ? '' : 's'} for ${options.durationSeconds} s…`);
    const run = await options.load({ url: gateway.url, body: varied[0].body, token: varied[0].token, connections: c, durationSeconds: options.durationSeconds, varied }, gateway.pid);
    log(`  ${run.requestsPerSecond} req/s, p50 ${run.latencyMs.p50} ms, p99 ${run.latencyMs.p99} ms, ${run.errors.total} errors`);
    runs.push({ ...run, gateway: 'hub', ...(run.requests > count ? { invalid: `${run.requests} requests for ${count} distinct participants: some repeated a check-in` } : {}) });
  }
  const rowsAdded = (await attendanceRows(hub, sessionIds)) - before;
  const successes = runs.reduce((s, r) => s + r.requests - r.errors.total, 0);
  return { liveSessions: sessionIds.length, runs, rowsAdded, successes, unfinished: runs.reduce((s, r) => s + r.unfinished, 0) };
}
