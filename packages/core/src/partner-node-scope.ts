import type { AccessScope, SharedDetail } from './access';
import type { PartnerNodeScope } from './config';
import { nodeAudience, ScopeVerifier } from './internal-token';

/**
 * A scope as a partner node applies it: the caller reads at most the node's own organisation (the
 * only one whose rows it holds), and identifying detail only where the node's own sharing
 * agreement opens it as well as the hub's. The hub's scope can narrow what leaves the node, never
 * widen it.
 */
export function narrowToNode(scope: AccessScope, node: PartnerNodeScope): AccessScope {
  if (scope.role === 'system') return scope;
  const own = (orgs: string[]) => orgs.filter((o) => o === node.organisation);
  const shared = (detail: SharedDetail) => (node.sharing[detail] ? own(scope.shares[detail]) : []);
  return {
    ...scope,
    organisations: own(scope.organisations),
    shares: { contacts: shared('contacts'), sessions: shared('sessions'), engagements: shared('engagements') },
  };
}

/** The verifier of a subgraph: the hub's own audience, or a node's, whose scopes are narrowed to it. */
export function scopeVerifierFor(keys: string | readonly string[], node?: PartnerNodeScope): Pick<ScopeVerifier, 'verify'> {
  if (!node) return new ScopeVerifier(keys);
  const verifier = new ScopeVerifier(keys, nodeAudience(node.organisation));
  return {
    async verify(token) {
      const scope = await verifier.verify(token);
      return scope && narrowToNode(scope, node);
    },
  };
}
