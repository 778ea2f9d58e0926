import type { FeedbackContext } from './context';
import { isRecordId } from '@hub/core';
import { Poll } from './poll.entity';
import { ConfidencePair } from './confidence-pair.entity';
import { CommunityRef, FacilitatorRef, OrganisationRef, ProgramRef, SessionRef } from './refs';

/** What the gateway sends for a field that `@requires(fields: "program { minimumGroupSize }")`. */
interface WithProgram {
  id: string;
  program?: { minimumGroupSize?: number | null } | null;
}

const programOf = (r: WithProgram): ProgramRef | null =>
  r.program ? Object.assign(new ProgramRef(), { id: '', minimumGroupSize: r.program.minimumGroupSize ?? null }) : null;

/**
 * `_entities` lookups: polls through the per-request loader (N keys, one query), within the
 * caller's wall (a poll outside it is null, as if it did not exist); the extended entities are
 * owned elsewhere, so their stub is the key plus the program's minimum group size when the gateway
 * fetched it for a field that requires it, and their fields batch by themselves.
 */
export const feedbackReferences = {
  Poll: {
    __resolveReference: async (r: WithProgram, ctx: FeedbackContext): Promise<Poll | null> => {
      if (!isRecordId(r.id, 'pol')) return null;
      const poll = await ctx.loaders.poll.load(r.id);
      // a copy: the loader's poll is shared by every path of the request
      return poll && Object.assign(new Poll(), poll, { requiredProgram: r.program ?? null });
    },
  },
  ConfidencePair: {
    __resolveReference: async (r: WithProgram, ctx: FeedbackContext): Promise<ConfidencePair | null> => {
      if (!isRecordId(r.id, 'cfp')) return null;
      const pair = await ctx.loaders.confidencePair.load(r.id);
      return pair && Object.assign(new ConfidencePair(), pair, { requiredProgram: r.program ?? null });
    },
  },
  Facilitator: { __resolveReference: (r: { id: string }) => Object.assign(new FacilitatorRef(), { id: r.id }) },
  Session: { __resolveReference: (r: WithProgram) => Object.assign(new SessionRef(), { id: r.id, program: programOf(r) }) },
  Community: { __resolveReference: (r: WithProgram) => Object.assign(new CommunityRef(), { id: r.id, program: programOf(r) }) },
  Organisation: { __resolveReference: (r: { id: string }) => Object.assign(new OrganisationRef(), { id: r.id }) },
  // minimumGroupSize: when the gateway fetched it for Program.feedbackResponseCount (`@requires`)
  Program: {
    __resolveReference: (r: { id: string; minimumGroupSize?: number | null }) =>
      Object.assign(new ProgramRef(), { id: r.id, minimumGroupSize: r.minimumGroupSize ?? null }),
  },
};
