import { ownerOf, refTo } from '@hub/core';
import { Community } from './community.entity';
import type { SessionsContext } from './context';
import { FacilitatorRef } from './facilitator-ref';
import { OrganisationRef } from './organisation-ref';
import { ProgramRef } from './program-ref';

/**
 * `_entities` lookups of owned types go through the per-request loaders (N keys, one query);
 * types owned elsewhere and only extended here need nothing but their ID.
 *
 * A community another deployment holds (docs/partner-nodes.md) is a bare reference when a gateway
 * routing to partner nodes asks for what this deployment holds of it (`gathering`): the forum items
 * of its organisations in it.
 */
export const sessionsReferences = {
  Community: {
    __resolveReference: async (ref: { id: string }, ctx: SessionsContext) =>
      (await ctx.loaders.community.load(ref.id)) ?? (ctx.scope.elsewhere?.gathering ? Object.assign(new Community(), { id: ref.id, organisationId: ownerOf(ref.id) }) : null),
  },
  Session: {
    __resolveReference: (ref: { id: string }, ctx: SessionsContext) => ctx.loaders.session.load(ref.id),
  },
  Organisation: {
    __resolveReference: (ref: { id: string }) => refTo(OrganisationRef, ref.id),
  },
  Program: {
    __resolveReference: (ref: { id: string }) => refTo(ProgramRef, ref.id),
  },
  Facilitator: {
    __resolveReference: (ref: { id: string }) => refTo(FacilitatorRef, ref.id),
  },
};
