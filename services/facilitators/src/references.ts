import { refTo } from '@hub/core';
import type { FacilitatorsContext } from './context';
import { CommunityRef, OrganisationRef } from './refs';

/**
 * `_entities` lookups. Facilitators go through the per-request loader (N keys, one query);
 * organisations and communities are another subgraph's records, known here only by ID, so the
 * reference itself is the object whose extension fields this subgraph resolves.
 */
export const facilitatorsReferences = {
  Facilitator: {
    __resolveReference: (ref: { id: string }, ctx: FacilitatorsContext) => ctx.loaders.facilitator.load(ref.id),
  },
  Organisation: {
    __resolveReference: (ref: { id: string }) => refTo(OrganisationRef, ref.id),
  },
  Community: {
    __resolveReference: (ref: { id: string }) => refTo(CommunityRef, ref.id),
  },
};
