import { GraphQLError } from 'graphql';
import { z } from 'zod';
import type { AccessScope } from './access';

const id = z.string().min(1).max(200);

/** What a deployment needs to know of a community (a forum) another deployment holds, to act on a record referring to it. */
const communityFacts = z.object({ id, organisationId: id, programId: id, kind: id, tier: id.nullable(), tierLevel: z.number().int().nullable() });
/** A course of a program's catalogue another deployment holds (a partner node records training in the hub's catalogue). */
const courseFacts = z.object({ id, organisationId: id, programId: id, name: z.string().max(500), validForMonths: z.number().int().nullable() });
/** A community's membership rules, which the community's organisation keeps, for a join of a facilitator held elsewhere. */
const membershipRulesFacts = z.object({
  communityId: id,
  organisationId: id,
  requiredTraining: z.array(z.object({ courseId: id, minimumLevel: id })).max(100),
  acceptedRegionIds: z.array(id).max(1000),
  confidentialityRequired: z.boolean(),
  facilitatesOneIn: z.number().int().nullable(),
});

export type CommunityFacts = z.infer<typeof communityFacts>;
export type CourseFacts = z.infer<typeof courseFacts>;
export type MembershipRulesFacts = z.infer<typeof membershipRulesFacts>;

/** An organisation's planned engagement as the caller may see it, details included, for matching overlaps at the hub. */
const planFacts = z.object({
  id,
  organisationId: id,
  programId: id,
  title: z.string().max(200),
  regionIds: z.array(id).max(50),
  audiences: z.array(z.string().max(100)).max(20),
  startsOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  endsOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});
export type PlanFacts = z.infer<typeof planFacts>;

export const heldElsewhereSchema = z.object({
  communities: z.record(id, communityFacts.nullable()).optional(),
  courses: z.record(id, courseFacts.nullable()).optional(),
  membershipRules: z.record(id, membershipRulesFacts.nullable()).optional(),
  /** Plans of organisations on partner nodes, for the hub's overlap matching (engagement.resolver.ts). */
  plans: z.array(planFacts).max(10000).optional(),
  /**
   * This deployment is asked only for what it holds of entities another deployment holds (a
   * national community's members and forum items on a partner's node): an entity it does not hold
   * is a bare reference, and what it needs of it (the community's rules) comes vouched.
   */
  gathering: z.boolean().optional(),
  /** The caller the gateway read them for (the scope's subject): a subgraph refuses them with another caller's scope. */
  subject: z.string().max(200).optional(),
});

/** The key of the request body's `extensions` carrying the signed records (internal-token.ts signHeldElsewhere). */
export const ELSEWHERE_EXTENSION = 'hubElsewhere';

/**
 * Records held by other deployments (the hub's subgraph, partner nodes: docs/partner-nodes.md), as
 * the gateway read them for this caller, by ID (membership rules by their community's ID); null
 * where the caller may not read one or it does not exist. Present (possibly empty) when the request
 * comes through a gateway routing to partner nodes: a record that is neither here nor listed is then
 * asked for (`HELD_ELSEWHERE`).
 */
export type HeldElsewhere = z.infer<typeof heldElsewhereSchema>;
export type HeldElsewhereKind = Exclude<keyof HeldElsewhere, 'plans' | 'gathering' | 'subject'>;
type Facts<K extends HeldElsewhereKind> = NonNullable<NonNullable<HeldElsewhere[K]>[string]>;

/** The code of the error by which a subgraph asks the gateway for records held elsewhere; `extensions.records` lists them. */
export const HELD_ELSEWHERE = 'HELD_ELSEWHERE';

/** A record this subgraph's deployment does not hold, which it asks the gateway for. */
export interface HeldElsewhereRequest {
  kind: HeldElsewhereKind;
  id: string;
}

/**
 * Records of `kind` another deployment holds, as the gateway vouched for them for this request
 * (the scope's `elsewhere`, from the request's signed extension); an ID maps to null when the record does not exist for this caller (and every ID
 * does when the request did not come through a routing gateway). When the gateway has not been
 * asked for some yet, throws `HELD_ELSEWHERE` naming them all: the request's transaction rolls back,
 * and the gateway reads them where they are held, under the caller's own scope, and sends the
 * request again with them.
 */
export function heldElsewhere<K extends HeldElsewhereKind>(scope: AccessScope, kind: K, ids: readonly string[]): Map<string, Facts<K> | null> {
  const held = scope.elsewhere;
  const known = (held?.[kind] ?? {}) as Record<string, Facts<K> | null>;
  const unknown = held ? ids.filter((i) => !Object.prototype.hasOwnProperty.call(known, i)) : [];
  if (unknown.length) {
    throw new GraphQLError(`${unknown.join(', ')}: held by another deployment; the gateway reads them and asks again`, {
      extensions: { code: HELD_ELSEWHERE, records: unknown.map((i): HeldElsewhereRequest => ({ kind, id: i })) },
    });
  }
  return new Map(ids.map((i) => [i, known[i] ?? null]));
}

/** One record of `kind` held elsewhere (see heldElsewhere). */
export function heldElsewhereOne<K extends HeldElsewhereKind>(scope: AccessScope, kind: K, recordId: string): Facts<K> | null {
  return heldElsewhere(scope, kind, [recordId]).get(recordId) ?? null;
}
