import type { FeedbackContext } from './context';
import { isRecordId, refTo } from '@hub/core';
import { CommunityRef, OrganisationRef, ProgramRef, SessionRef } from './refs';

/**
 * `_entities` lookups: polls through the per-request loader (N keys, one query); the extended
 * entities are owned elsewhere, so their stub is just the key and their fields batch by themselves.
 */
export const feedbackReferences = {
  Poll: {
    __resolveReference: (r: { id: string }, ctx: FeedbackContext) => (isRecordId(r.id, 'pol') ? ctx.loaders.poll.load(r.id) : null),
  },
  Session: { __resolveReference: (r: { id: string }) => refTo(SessionRef, r.id) },
  Community: { __resolveReference: (r: { id: string }) => refTo(CommunityRef, r.id) },
  Organisation: { __resolveReference: (r: { id: string }) => refTo(OrganisationRef, r.id) },
  Program: { __resolveReference: (r: { id: string }) => refTo(ProgramRef, r.id) },
};
