import { randomBytes } from 'node:crypto';
import { dropDatabase, keyFingerprint, NODE_SUBGRAPH_NAMES, withDatabase } from '@hub/core';
import type { Hub } from '@hub/hub';
import {
  moveOrganisation,
  parsePartnerNodeConfig,
  startPartnerNode,
  summariseOrganisationRows,
  type PartnerNode,
  type PartnerNodeConfig,
  type Hosting,
  type MoveReport,
  type NodeSubgraph,
  type PartnerNodeFile,
  type RowSummary,
} from '@hub/node';
import type { DataSource } from 'typeorm';
import { testServerUrl } from './database';
import { mutate } from './fixtures';
import type { Caller } from './hub';

/** A partner node on fresh databases of the test server, trusting `hub`'s gateway key. */
export interface TestNode {
  organisation: string;
  config: PartnerNodeConfig;
  running: PartnerNode | null;
  /** Starts the node (again, on the same ports once it has run). */
  start(): Promise<PartnerNode>;
  /** Stops it, keeping its databases. */
  stop(): Promise<void>;
  /** Stops it and drops its databases. */
  destroy(): Promise<void>;
}

export function testNode(hub: Hub, organisation: string, file: Partial<PartnerNodeFile> = {}): TestNode {
  const tag = randomBytes(4).toString('hex');
  const config = parsePartnerNodeConfig(
    {
      organisation,
      ports: { facilitators: 0, sessions: 0, feedback: 0 },
      databases: Object.fromEntries(NODE_SUBGRAPH_NAMES.map((n) => [n, withDatabase(testServerUrl(), `t_${tag}_node_${n}`)])),
      trustedHubKeys: [hub.keys.gateway.publicKey],
      poolSize: 3,
      logLevel: (process.env.NODE_LOG_LEVEL as 'silent') ?? 'silent',
      ...file,
    },
    {},
  );
  const node: TestNode = {
    organisation,
    config,
    running: null,
    async start() {
      node.running = await startPartnerNode(config);
      // a restarted node answers where the registry says it does
      for (const name of NODE_SUBGRAPH_NAMES) config.ports[name] = Number(new URL(node.running.endpoints[name].url).port);
      return node.running;
    },
    async stop() {
      await node.running?.stop();
      node.running = null;
    },
    async destroy() {
      await node.stop();
      await Promise.all(NODE_SUBGRAPH_NAMES.map((n) => dropDatabase(config.databaseUrls[n])));
    },
  };
  return node;
}

/** Registers a running node at the hub through the gateway, as `caller`, with a time budget. */
export async function registerNode(hub: Hub, caller: Caller, node: TestNode, timeBudgetMs = 5000): Promise<void> {
  const running = node.running as PartnerNode;
  await mutate(caller, `mutation($i: RegisterPartnerNodeInput!) { registerPartnerNode(input: $i) { status } }`, {
    i: {
      organisationId: node.organisation,
      hubKeyFingerprint: keyFingerprint(hub.keys.gateway.publicKey),
      timeBudgetMs,
      endpoints: NODE_SUBGRAPH_NAMES.map((n) => ({ subgraph: n.toUpperCase(), ...running.endpoints[n] })),
    },
  });
}

/** Each node subgraph's summary (counts and checksums per table) of one organisation's rows. */
export async function summaries(subgraphs: Record<string, { dataSource: Parameters<typeof summariseOrganisationRows>[0] }>, organisation: string): Promise<Record<string, RowSummary>> {
  const out: Record<string, RowSummary> = {};
  for (const name of NODE_SUBGRAPH_NAMES) out[name] = await summariseOrganisationRows(subgraphs[name].dataSource, name, organisation);
  return out;
}

/**
 * Moves an organisation's records between the hub and its running node with the move command's
 * own function, switching routing through the gateway as `caller` (so this gateway routes at once).
 */
export function move(hub: Hub, caller: Caller, node: TestNode, to: Hosting): Promise<MoveReport> {
  const running = node.running as PartnerNode;
  const owners = (subgraphs: Record<string, { dataSource: DataSource }>) =>
    Object.fromEntries(NODE_SUBGRAPH_NAMES.map((n) => [n, subgraphs[n].dataSource])) as Record<NodeSubgraph, DataSource>;
  return moveOrganisation({
    organisation: node.organisation,
    to,
    hub: owners(hub.subgraphs),
    node: owners(running.subgraphs),
    switchHosting: async (hosting) => {
      await mutate(caller, `mutation($o: ID!, $h: PartnerHosting!) { movePartnerHosting(organisationId: $o, hosting: $h) { hosting } }`, { o: node.organisation, h: hosting });
    },
  });
}
