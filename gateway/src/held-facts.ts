import { HELD_ELSEWHERE, isRecordId, ownerOf, type HeldElsewhere, type HeldElsewhereKind, type HeldElsewhereRequest } from '@hub/core';
import type { GraphQLFormattedError } from 'graphql';

type Kinds = Required<Omit<HeldElsewhere, 'plans' | 'gathering' | 'subject'>>;
type Found = { [K in HeldElsewhereKind]?: Kinds[K] };
/* eslint-disable @typescript-eslint/no-explicit-any -- answers are read field by field below */

/**
 * How the gateway reads each kind of record a subgraph asks for (core held-elsewhere.ts) where it
 * is held, under the caller's scope, and turns the answer into the facts the subgraph uses. Every
 * kind is read from the subgraph that asked (forums from sessions; courses and membership rules
 * from facilitators), at the deployment holding its organisation.
 */
const READ: { [K in HeldElsewhereKind]: { type: string; value: (id: string) => unknown; field: (v: string) => string; facts: (answer: any, id: string) => NonNullable<Kinds[K][string]> | null } } = {
  communities: {
    type: 'ID!',
    value: (id) => id,
    field: (v) => `community(id: ${v}) { id kind tier tierLevel organisation { id } program { id } }`,
    // a deployment's answer is taken for the record asked only: the same ID, its owner's
    facts: (c, id) =>
      c?.id === id && c.organisation?.id === ownerOf(id) && c.program?.id
        ? { id, kind: c.kind, tier: c.tier ?? null, tierLevel: c.tierLevel ?? null, organisationId: c.organisation.id, programId: c.program.id }
        : null,
  },
  courses: {
    type: 'ID!',
    value: (id) => id,
    field: (v) => `trainingCourse(id: ${v}) { id name validForMonths program { id } }`,
    facts: (c, id) => (c?.id === id && c.program?.id ? { id, name: c.name, validForMonths: c.validForMonths ?? null, programId: c.program.id, organisationId: ownerOf(id) ?? '' } : null),
  },
  membershipRules: {
    // a community's rules are a field of the facilitators subgraph's Community entity
    type: '[_Any!]!',
    value: (id) => [{ __typename: 'Community', id }],
    field: (v) =>
      `_entities(representations: ${v}) { ... on Community { membershipRules { requiredTraining { courseId minimumLevel } acceptedRegions { id } confidentialityRequired facilitatesOneIn } } }`,
    facts: (answer, id) => {
      const r = answer?.[0]?.membershipRules;
      return r
        ? {
            communityId: id,
            organisationId: ownerOf(id) ?? '',
            requiredTraining: r.requiredTraining,
            acceptedRegionIds: r.acceptedRegions.map((x: { id: string }) => x.id),
            confidentialityRequired: r.confidentialityRequired,
            facilitatesOneIn: r.facilitatesOneIn ?? null,
          }
        : null;
    },
  },
};

/** One query reading `records` (of one deployment), and how to take their facts from its answer: null for those it did not give. */
export function factsQuery(records: HeldElsewhereRequest[]): { query: string; variables: Record<string, unknown>; facts: (data: Record<string, unknown> | null | undefined) => Found } {
  const variables = Object.fromEntries(records.map((r, i) => [`r${i}`, READ[r.kind].value(r.id)]));
  const query = `query HubHeldFacts(${records.map((r, i) => `$r${i}: ${READ[r.kind].type}`).join(', ')}) { ${records.map((r, i) => `r${i}: ${READ[r.kind].field(`$r${i}`)}`).join(' ')} }`;
  const facts = (data: Record<string, unknown> | null | undefined): Found => {
    const found: Record<string, Record<string, unknown>> = {};
    records.forEach((r, i) => {
      found[r.kind] = { ...found[r.kind], [r.id]: READ[r.kind].facts(data?.[`r${i}`], r.id) };
    });
    return found as Found;
  };
  return { query, variables, facts };
}

/** The records known so far with those just read added. */
export function mergeFacts(known: Kinds, found: Found): Kinds {
  const out = { ...known };
  for (const kind of Object.keys(found) as HeldElsewhereKind[]) out[kind] = { ...known[kind], ...found[kind] } as any;
  return out;
}

const KINDS: Record<HeldElsewhereKind, string> = { communities: 'com', courses: 'trc', membershipRules: 'com' };
const MAX_WANTED = 50;

/** The records a deployment asks for (HELD_ELSEWHERE): only of the kinds the gateway reads, by IDs of those kinds, at most MAX_WANTED. */
export function wantedRecords(errors: readonly GraphQLFormattedError[] | undefined): HeldElsewhereRequest[] {
  const asked = (errors ?? []).filter((e) => e.extensions?.code === HELD_ELSEWHERE).flatMap((e) => (Array.isArray(e.extensions?.records) ? e.extensions.records : []));
  return asked
    .filter((r): r is HeldElsewhereRequest => typeof r?.kind === 'string' && Object.hasOwn(KINDS, r.kind) && typeof r.id === 'string' && isRecordId(r.id, KINDS[r.kind as HeldElsewhereKind]))
    .slice(0, MAX_WANTED);
}
