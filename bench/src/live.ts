import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Hub } from '@hub/hub';
import { Client } from 'pg';
import type { Dataset } from './generate';
import type { GatewayChild } from './gateway-child';
import type { ClientsMessage, ClientsReply, ClientsStart } from './live-clients';
import { now } from './live-clients';
import { percentile } from './load';
import type { Latency, LiveReport } from './report';

/** The delivery partner whose sessions the live workloads start (the last one: never moved onto a partner node by `fanout`). */
export const livePartner = (dataset: Dataset) => dataset.partnerIds[dataset.partnerIds.length - 1];

/** A participant's token: a subject of its own (an opaque reference, as check-ins store it). */
export const participantToken = (hub: Hub, dataset: Dataset, n: number | string) =>
  hub.token({ role: 'participant', org: livePartner(dataset), programs: [dataset.programId], sub: `bench-participant-${n}`, ttlSeconds: 6 * 3600 });

async function graphql(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(`${query.slice(0, 50)}…: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return body.data;
}

export const CHECK_IN = 'mutation CheckIn($id: ID!) { checkIn(sessionId: $id) { id } }';

/**
 * Starts `count` of the live partner's next scheduled sessions through the gateway, as its
 * administrator (the sessions subgraph's own `startSession`), and gives their IDs.
 */
export async function startLiveSessions(hub: Hub, dataset: Dataset, count: number): Promise<string[]> {
  const db = new Client({ connectionString: hub.configs.sessions.databaseUrl });
  await db.connect();
  let ids: string[];
  try {
    ids = (
      await db.query<{ id: string }>(
        `SELECT id FROM session WHERE organisation_id = $1 AND program_id = $2 AND status = 'SCHEDULED' ORDER BY starts_at, id LIMIT $3`,
        [livePartner(dataset), dataset.programId, count],
      )
    ).rows.map((r) => r.id);
  } finally {
    await db.end();
  }
  if (ids.length < count) throw new Error(`only ${ids.length} scheduled sessions of ${livePartner(dataset)} are left to start (generate the dataset again)`);
  const admin = await hub.token({ role: 'partner-admin', org: livePartner(dataset), programs: [dataset.programId], ttlSeconds: 6 * 3600 });
  for (const id of ids) await graphql(hub.gatewayUrl, admin, 'mutation Start($id: ID!) { startSession(id: $id) { id status } }', { id });
  return ids;
}

/** Attendance rows of the given sessions, read as the sessions database's owner. */
export async function attendanceRows(hub: Hub, sessionIds: string[]): Promise<number> {
  const db = new Client({ connectionString: hub.configs.sessions.databaseUrl });
  await db.connect();
  try {
    return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM attendance WHERE session_id = ANY ($1)', [sessionIds])).rows[0].n;
  } finally {
    await db.end();
  }
}

const latency = (values: number[]): Latency => {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), p99: round(percentile(sorted, 99)), max: round(sorted[sorted.length - 1] ?? NaN) };
};

/**
 * Subscription fan-out: `subscribers` graphql-ws clients (two processes of their own) on one
 * live session's check-ins through the hub's gateway, then `events` check-ins by different
 * participants, one at a time, each sent once every client had the one before. Each client is a
 * participant of its own (its own subject and token), as in a room or a webinar: the gateway
 * shares a subscription between participants of the same organisations and programs
 * (gateway/src/shared-scope.ts), so they should cost one upstream subscription.
 */
export async function runLiveFanOut(options: {
  hub: Hub;
  gateway: GatewayChild;
  dataset: Dataset;
  sessionId: string;
  subscribers: number;
  events: number;
  log: (line: string) => void;
}): Promise<LiveReport> {
  const { hub, gateway, dataset, sessionId, log } = options;
  const viewers = await Promise.all(Array.from({ length: options.subscribers }, (_, n) => participantToken(hub, dataset, `viewer-${n}`)));
  const rssBefore = gateway.rssMiB();
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, gateway.rssMiB())), 50);
  const processes = options.subscribers >= 200 ? 2 : 1;
  const children: ChildProcess[] = [];
  const replies = new Map<ChildProcess, (reply: ClientsReply) => void>();
  const next = (child: ChildProcess) => new Promise<ClientsReply>((resolve) => replies.set(child, resolve));
  try {
    const began = Date.now();
    for (let i = 0; i < processes; i++) {
      const child = fork(path.join(__dirname, 'live-clients.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.on('message', (reply: ClientsReply) => {
        if (reply.type === 'error') log(`  subscribers: ${reply.error}`);
        else replies.get(child)?.(reply);
      });
      children.push(child);
    }
    const share = (i: number) => Math.floor(options.subscribers / processes) + (i < options.subscribers % processes ? 1 : 0);
    const connected = await Promise.all(
      children.map((child, i) => {
        const reply = next(child);
        const from = children.slice(0, i).reduce((n, _, j) => n + share(j), 0);
        child.send({ wsUrl: gateway.wsUrl, tokens: viewers.slice(from, from + share(i)), sessionId } satisfies ClientsStart);
        return reply;
      }),
    );
    const connectSeconds = (Date.now() - began) / 1000;
    log(`  ${options.subscribers} subscribers connected in ${connectSeconds.toFixed(1)} s`);

    let checkIns = 0;
    let attendance = await attendanceRows(hub, [sessionId]);
    /** One check-in by a new participant; resolves with the delivery times once every client has it (or 10 s passed). */
    const event = async () => {
      const token = await participantToken(hub, dataset, `live-${sessionId}-${checkIns++}`);
      const expected = ++attendance;
      const waits = children.map((child) => {
        const reply = next(child);
        child.send({ type: 'expect', attendanceCount: expected, timeoutMs: 10_000 } satisfies ClientsMessage);
        return reply;
      });
      const sent = now();
      await graphql(gateway.url, token, CHECK_IN, { id: sessionId });
      const answered = now();
      const delivered = (await Promise.all(waits)) as Extract<ClientsReply, { type: 'delivered' }>[];
      return { sent, answered, times: delivered.flatMap((d) => d.times), missing: delivered.reduce((s, d) => s + d.missing, 0) };
    };
    // warm-up events (not counted) until every client has one: then all are subscribed
    for (let i = 0; ; i++) {
      const warm = await event();
      if (warm.missing === 0) break;
      if (i === 4) throw new Error(`${warm.missing} of ${options.subscribers} subscribers still get nothing after 5 events`);
    }
    const subscribed = gateway.rssMiB();
    const fromSent: number[] = [];
    const fromAnswer: number[] = [];
    let delivered = 0;
    for (let i = 0; i < options.events; i++) {
      const e = await event();
      delivered += e.times.length;
      for (const t of e.times) {
        fromSent.push(t - e.sent);
        fromAnswer.push(t - e.answered);
      }
    }
    const stats = await gateway.stats();
    clearInterval(sampler);
    return {
      subscribers: connected.reduce((s, c) => s + (c.type === 'connected' ? c.count : 0), 0),
      events: options.events,
      delivered,
      expected: options.events * options.subscribers,
      afterMutationSentMs: latency(fromSent),
      afterCommitMs: latency(fromAnswer),
      upstreamSubscriptions: stats.upstreamCount,
      upstreamConnections: stats.upstreamConnections,
      clientConnections: stats.clientCount,
      gatewayRssMiB: { before: rssBefore, subscribed, peak: Math.max(peak, gateway.rssMiB()) },
      connectSeconds,
    };
  } finally {
    clearInterval(sampler);
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.send({ type: 'stop' } satisfies ClientsMessage);
            setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
          }),
      ),
    );
  }
}
