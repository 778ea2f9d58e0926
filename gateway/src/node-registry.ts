import { askPartners, type Logger, type NodeSubgraphName, type ScopeSigner } from '@hub/core';
import type { OperationDefinitionNode } from 'graphql';

/** Where the gateway sends one organisation's records: its active partner node. */
export interface NodeRoute {
  organisation: string;
  endpoints: Record<NodeSubgraphName, { url: string; wsUrl: string }>;
  /** The hub key the node trusts; the gateway sends it nothing while it signs with another. */
  hubKeyFingerprint: string;
  /** How long a request to the node may take before the gateway answers without it. */
  timeBudgetMs: number;
}

interface RegisteredNode {
  organisationId: string;
  hosting: 'HUB' | 'NODE';
  endpoints: { subgraph: string; url: string; wsUrl: string }[];
  hubKeyFingerprint: string;
  timeBudgetMs: number;
}

const ACTIVE_NODES = `query HubPartnerNodes { partnerNodes(status: ACTIVE) { organisationId hosting endpoints { subgraph url wsUrl } hubKeyFingerprint timeBudgetMs } }`;

/**
 * The gateway's copy of the partner-node registry (the partners subgraph), read as the hub itself
 * at start, every `refreshMs` and right after a registry mutation through this gateway, so a
 * registered, moved or retired node is routed without a restart. When the registry cannot be
 * read, the last routes stay in force.
 */
export class NodeRegistry {
  private routes = new Map<string, NodeRoute>();
  /** Active nodes of organisations the hub still hosts (registered, not moved yet, or moved back). */
  private standby = new Map<string, NodeRoute>();
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly partnersUrl: () => string,
    private readonly signer: ScopeSigner,
    private readonly timeoutMs: number,
    private readonly refreshMs: number,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** True when any organisation is hosted by its own node (otherwise routing has nothing to do). */
  get hasNodes(): boolean {
    return this.routes.size > 0;
  }

  /** The organisations hosted by their own nodes. */
  get organisations(): string[] {
    return [...this.routes.keys()];
  }

  /** Node-hosted organisations whose records a caller of `scope` may read. */
  inReach(scope: { role: string; organisations: readonly string[] }): string[] {
    return this.organisations.filter((o) => scope.role === 'system' || scope.organisations.includes(o));
  }

  /** The active node of `organisation` while the hub hosts its records (it may move there at any moment). */
  standbyOf(organisation: string): NodeRoute | undefined {
    return this.standby.get(organisation);
  }

  /** Organisations in the reach of `scope` whose active node does not host their records yet. */
  standbyInReach(scope: { role: string; organisations: readonly string[] }): string[] {
    return [...this.standby.keys()].filter((o) => scope.role === 'system' || scope.organisations.includes(o));
  }

  /** The node hosting `organisation`'s records, or undefined when the hub hosts them. */
  nodeOf(organisation: string): NodeRoute | undefined {
    return this.routes.get(organisation);
  }

  /** Calls `listener` after each read that changed the routes or the standby nodes (a node registered, moved, retired or re-registered). */
  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** Reads the registry again; concurrent calls share one read. */
  refresh(): Promise<void> {
    this.pending ??= this.read().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async read(): Promise<void> {
    try {
      const data = await askPartners<{ partnerNodes: RegisteredNode[] }>(this.partnersUrl(), this.signer, this.timeoutMs, ACTIVE_NODES);
      const routes = new Map<string, NodeRoute>();
      const standby = new Map<string, NodeRoute>();
      for (const node of data.partnerNodes) {
        const endpoints = Object.fromEntries(node.endpoints.map((e) => [e.subgraph.toLowerCase(), { url: e.url, wsUrl: e.wsUrl }]));
        (node.hosting === 'NODE' ? routes : standby).set(node.organisationId, {
          organisation: node.organisationId,
          endpoints: endpoints as NodeRoute['endpoints'],
          hubKeyFingerprint: node.hubKeyFingerprint,
          timeBudgetMs: node.timeBudgetMs,
        });
      }
      const changed = JSON.stringify([[...this.routes], [...this.standby]]) !== JSON.stringify([[...routes], [...standby]]);
      this.routes = routes;
      this.standby = standby;
      if (changed) for (const listener of this.listeners) listener();
    } catch (error) {
      this.log.warn({ err: error }, 'the partner node registry could not be read; keeping the last routes');
    }
  }
}

const REGISTRY_MUTATIONS = new Set(['registerPartnerNode', 'movePartnerHosting', 'retirePartnerNode']);

/** Does this operation change the registry (so the gateway reads it again before answering)? */
export function changesRegistry(operation: OperationDefinitionNode): boolean {
  return operation.operation === 'mutation' && operation.selectionSet.selections.some((s) => s.kind === 'Field' && REGISTRY_MUTATIONS.has(s.name.value));
}
