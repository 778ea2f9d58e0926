import type { AccessScope, SharedDetail } from './access';
import type { PartnerNodeScope } from './config';
import { nodeAudience, ScopeVerifier } from './internal-token';

/**
 * A scope as a partner node applies it: identifying detail (facilitator contacts, session
 * details, engagement plans) only where the node's own sharing agreement opens it as well as the
 * hub's. The hub's scope can narrow what leaves the node, never widen it. The wall (which
 * organisations' records the caller reads) is the hub's: the node holds its own organisation's rows
 * only (hold-only-organisation.ts), so another organisation in the wall matters only for those of
 * its rows that sit in that organisation's shared spaces (its forum items escalated into another
 * organisation's forum), which the caller reads there exactly as it would at the hub.
 */
export function narrowToNode(scope: AccessScope, node: PartnerNodeScope): AccessScope {
  if (scope.role === 'system') return scope;
  const shared = (detail: SharedDetail) => (node.sharing[detail] ? scope.shares[detail].filter((o) => o === node.organisation) : []);
  return { ...scope, shares: { contacts: shared('contacts'), sessions: shared('sessions'), engagements: shared('engagements') } };
}

/** The verifier of a subgraph: the hub's own audience, or a node's, whose scopes are narrowed to it. */
export function scopeVerifierFor(keys: string | readonly string[], node?: PartnerNodeScope): Pick<ScopeVerifier, 'verify' | 'verifyHeldElsewhere'> {
  if (!node) return new ScopeVerifier(keys);
  const verifier = new ScopeVerifier(keys, nodeAudience(node.organisation));
  return {
    async verify(token) {
      const scope = await verifier.verify(token);
      return scope && narrowToNode(scope, node);
    },
    verifyHeldElsewhere: (token) => verifier.verifyHeldElsewhere(token),
  };
}
