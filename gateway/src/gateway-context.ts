import type { AccessScope } from '@hub/core';

/** Per request at the gateway: the caller's scope, and the same scope signed for the subgraphs. */
export interface GatewayContext {
  scope: AccessScope;
  scopeToken: string;
}
