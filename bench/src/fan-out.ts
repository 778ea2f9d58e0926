import { dropDatabase, keyFingerprint, NODE_SUBGRAPH_NAMES, withDatabase, type NodeSubgraphName } from '@hub/core';
import type { Hub } from '@hub/hub';
import { moveOrganisation, parsePartnerNodeConfig, startPartnerNode, type Hosting, type PartnerNode } from '@hub/node';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { Dataset } from './generate';

/** Partner nodes running in this process, each holding one delivery partner's records. */
export interface FanOut {
  nodes: PartnerNode[];
  /** SQL statements the nodes' subgraphs have sent so far, per subgraph. */
  statements(): Record<NodeSubgraphName, number>;
  /** Moves every partner back to the hub, stops the nodes and drops their databases. */
  restore(): Promise<void>;
}

/** Connections each node needs at most (3 subgraphs: requests, change events, the owner's pool during a move). */
const CONNECTIONS_PER_NODE = 3 * 4;

async function maxConnections(serverUrl: string): Promise<number> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return Number((await client.query('SHOW max_connections')).rows[0].max_connections);
  } finally {
    await client.end();
  }
}

/**
 * Starts `count` partner nodes on the benchmark's server (databases `<prefix>_node<i>_<subgraph>`),
 * registers them through the gateway as the program's national manager and moves the first
 * `count` delivery partners onto them with the move command's own function, so the national
 * dashboard fans out across them. `restore` undoes it all, leaving the dataset as it was.
 */
export async function startFanOut(options: { hub: Hub; serverUrl: string; prefix: string; dataset: Dataset; count: number; log: (line: string) => void }): Promise<FanOut> {
  const { hub, dataset, count, log } = options;
  const organisations = dataset.partnerIds.slice(0, count);
  if (organisations.length < count) throw new Error(`--nodes ${count}: the dataset has only ${dataset.partnerIds.length} delivery partners (raise --scale)`);
  const needed = count * CONNECTIONS_PER_NODE + 100;
  const available = await maxConnections(options.serverUrl);
  if (available < needed) throw new Error(`${count} partner nodes need up to ${needed} database connections; the server allows ${available} (use the embedded server, or raise max_connections)`);
  const token = await hub.token({ role: 'national-manager', org: dataset.nationalId, programs: [dataset.programId], ttlSeconds: 6 * 3600 });
  const mutate = async (query: string, variables: Record<string, unknown>) => {
    const res = await fetch(hub.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(body.errors)}`);
  };
  const owners = (subgraphs: Record<string, { dataSource: DataSource }>) =>
    Object.fromEntries(NODE_SUBGRAPH_NAMES.map((n) => [n, subgraphs[n].dataSource])) as Record<NodeSubgraphName, DataSource>;
  const move = (node: PartnerNode, to: Hosting) =>
    moveOrganisation({
      organisation: node.organisation,
      to,
      hub: owners(hub.subgraphs),
      node: owners(node.subgraphs),
      switchHosting: (hosting) => mutate(`mutation($o: ID!, $h: PartnerHosting!) { movePartnerHosting(organisationId: $o, hosting: $h) { hosting } }`, { o: node.organisation, h: hosting }),
    });

  const nodes: PartnerNode[] = [];
  const moved: PartnerNode[] = [];
  const databases: string[] = [];
  const restore = async () => {
    for (const node of moved) await move(node, 'HUB');
    await Promise.all(nodes.map((n) => n.stop()));
    await Promise.all(databases.map((url) => dropDatabase(url)));
  };
  try {
    for (const [i, organisation] of organisations.entries()) {
      const urls = Object.fromEntries(NODE_SUBGRAPH_NAMES.map((n) => [n, withDatabase(options.serverUrl, `${options.prefix}_node${i + 1}_${n}`)]));
      await Promise.all(Object.values(urls).map((url) => dropDatabase(url)));
      databases.push(...Object.values(urls));
      const config = parsePartnerNodeConfig(
        { organisation, ports: { facilitators: 0, sessions: 0, feedback: 0 }, databases: urls, trustedHubKeys: [hub.keys.gateway.publicKey], poolSize: 1, logLevel: 'silent' },
        {},
      );
      const node = await startPartnerNode(config);
      nodes.push(node);
      await mutate(`mutation($i: RegisterPartnerNodeInput!) { registerPartnerNode(input: $i) { status } }`, {
        i: {
          organisationId: organisation,
          hubKeyFingerprint: keyFingerprint(hub.keys.gateway.publicKey),
          // as long as the hub's own subgraphs get: the benchmark measures latency, not outages
          timeBudgetMs: 10_000,
          endpoints: NODE_SUBGRAPH_NAMES.map((n) => ({ subgraph: n.toUpperCase(), ...node.endpoints[n] })),
        },
      });
      await move(node, 'NODE');
      moved.push(node);
      log(`  ${organisation} on its own node (${i + 1}/${count})`);
    }
  } catch (error) {
    await restore().catch((e: unknown) => log(`  could not undo the fan-out set-up: ${String(e)} (run without --reuse next time)`));
    throw error;
  }
  return {
    nodes,
    statements: () =>
      Object.fromEntries(NODE_SUBGRAPH_NAMES.map((n) => [n, nodes.reduce((sum, node) => sum + node.subgraphs[n].statements.count, 0)])) as Record<NodeSubgraphName, number>,
    restore,
  };
}
