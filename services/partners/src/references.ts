import type { PartnersContext } from './context';

/** `_entities` lookups go through the same per-request loaders as everything else: N keys, one query. */
export const partnersReferences = {
  Organisation: {
    __resolveReference: (ref: { id: string }, ctx: PartnersContext) => ctx.loaders.organisation.load(ref.id),
  },
  Program: {
    __resolveReference: (ref: { id: string }, ctx: PartnersContext) => ctx.loaders.program.load(ref.id),
  },
  Region: {
    __resolveReference: (ref: { id: string }, ctx: PartnersContext) => ctx.loaders.region.load(ref.id),
  },
};
