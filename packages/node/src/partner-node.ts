import { keyFingerprint, type Subgraph, type SubgraphConfig } from '@hub/core';
import { createFacilitatorsSubgraph } from '@hub/facilitators';
import { createFeedbackSubgraph } from '@hub/feedback';
import { createSessionsSubgraph } from '@hub/sessions';
import { holdOnlyOrganisation } from './hold-only-organisation';
import { nodeSubgraphConfig, type PartnerNodeConfig } from './node-config';
import { NODE_SUBGRAPHS, type NodeSubgraph } from './organisation-tables';

const FACTORIES: Record<NodeSubgraph, (config: SubgraphConfig) => Promise<Subgraph>> = {
  facilitators: createFacilitatorsSubgraph,
  sessions: createSessionsSubgraph,
  feedback: createFeedbackSubgraph,
};

export interface PartnerNode {
  organisation: string;
  subgraphs: Record<NodeSubgraph, Subgraph>;
  /** Where each subgraph answers, as `registerPartnerNode` wants them. */
  endpoints: Record<NodeSubgraph, { url: string; wsUrl: string }>;
  /** Fingerprints of the hub keys this node trusts (what the registry records). */
  trustedKeyFingerprints: string[];
  stop(): Promise<void>;
}

/**
 * One organisation's partner node: the hub's own facilitators, sessions and feedback services,
 * each on the organisation's own database, which the node constrains to the organisation's rows,
 * accepting only scopes a trusted hub key signed for this node's audience.
 */
export async function startPartnerNode(config: PartnerNodeConfig): Promise<PartnerNode> {
  const subgraphs = {} as Record<NodeSubgraph, Subgraph>;
  const endpoints = {} as PartnerNode['endpoints'];
  const started: Subgraph[] = [];
  try {
    for (const name of NODE_SUBGRAPHS) {
      const subgraph = await FACTORIES[name](nodeSubgraphConfig(config, name));
      started.push(subgraph);
      await holdOnlyOrganisation(subgraph.dataSource, name, config.organisation);
      const url = await subgraph.listen();
      subgraphs[name] = subgraph;
      endpoints[name] = { url, wsUrl: url.replace(/^http/, 'ws') };
    }
  } catch (error) {
    await Promise.all(started.map((s) => s.stop().catch(() => undefined)));
    throw error;
  }
  return {
    organisation: config.organisation,
    subgraphs,
    endpoints,
    trustedKeyFingerprints: config.trustedHubKeys.map(keyFingerprint),
    async stop() {
      await Promise.all(started.map((s) => s.stop()));
    },
  };
}
