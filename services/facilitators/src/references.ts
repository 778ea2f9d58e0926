import { refTo } from '@hub/core';
import type { FacilitatorsContext } from './context';
import { CommunityRef, OrganisationRef } from './refs';

/**
 * `_entities` lookups. Facilitators go through the per-request loader (N keys, one query), which
 * answers null for one outside the caller's wall or for a participant;
 * organisations and communities are another subgraph's records, known here only by ID, so the
 * reference itself is the object whose extension fields this subgraph resolves (each of those fields
 * checks the caller's scope itself).
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
