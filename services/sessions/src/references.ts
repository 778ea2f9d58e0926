import { refTo } from '@hub/core';
import type { SessionsContext } from './context';
import { FacilitatorRef } from './facilitator-ref';
import { OrganisationRef } from './organisation-ref';
import { ProgramRef } from './program-ref';

/**
 * `_entities` lookups of owned types go through the per-request loaders (N keys, one query);
 * types owned elsewhere and only extended here need nothing but their ID.
 */
export const sessionsReferences = {
  Community: {
    __resolveReference: (ref: { id: string }, ctx: SessionsContext) => ctx.loaders.community.load(ref.id),
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
