import { heldElsewhere, heldElsewhereOne, type AccessScope } from '@hub/core';
import { In, type EntityManager } from 'typeorm';
import { CommunityMembershipRules } from './membership-rules.entity';
import { TrainingCourse } from './training-course.entity';
import type { AccreditationLevel } from './training-record.entity';

/*
 * Records of another organisation that this deployment may not hold: a partner node holds its own
 * organisation's rows only, while its facilitators train on courses of the program's catalogue and
 * join communities whose rules their organisation keeps (usually at the hub), and a hub-hosted
 * facilitator may join a node-hosted partner's community. Each is read here when held here, else
 * as the gateway vouched for it (core held-elsewhere.ts).
 */

/** A course of the catalogue, here or held elsewhere; null when there is none for this caller. */
export async function courseFor(m: EntityManager, scope: AccessScope, id: string): Promise<TrainingCourse | null> {
  const here = await m.findOneBy(TrainingCourse, { id });
  if (here) return here;
  const facts = heldElsewhereOne(scope, 'courses', id);
  return facts && Object.assign(new TrainingCourse(), facts);
}

/** The courses of `ids` found here or held elsewhere. */
export async function coursesFor(m: EntityManager, scope: AccessScope, ids: string[]): Promise<TrainingCourse[]> {
  if (!ids.length) return [];
  const here = await m.findBy(TrainingCourse, { id: In(ids) });
  const missing = ids.filter((id) => !here.some((c) => c.id === id));
  const elsewhere = missing.length ? [...heldElsewhere(scope, 'courses', missing).values()] : [];
  return [...here, ...elsewhere.flatMap((facts) => (facts ? [Object.assign(new TrainingCourse(), facts)] : []))];
}

/** A community's membership rules, here or kept by the deployment holding the community; null when it has none. */
export async function membershipRulesFor(m: EntityManager, scope: AccessScope, communityId: string): Promise<CommunityMembershipRules | null> {
  return (await m.findOneBy(CommunityMembershipRules, { communityId })) ?? rulesHeldElsewhere(scope, communityId);
}

/** A community's membership rules as the gateway vouched for them; null when it has none (or nothing was vouched). */
export function rulesHeldElsewhere(scope: AccessScope, communityId: string): CommunityMembershipRules | null {
  const facts = heldElsewhereOne(scope, 'membershipRules', communityId);
  if (!facts) return null;
  const requiredTraining = facts.requiredTraining.map((r) => ({ ...r, minimumLevel: r.minimumLevel as AccreditationLevel }));
  return Object.assign(new CommunityMembershipRules(), { ...facts, requiredTraining });
}

/** The names of the courses of `ids` the caller may read, here or held elsewhere. */
export function courseNamesHeldElsewhere(scope: AccessScope, ids: string[]): Map<string, string> {
  const names = new Map<string, string>();
  if (!ids.length) return names;
  for (const [id, facts] of heldElsewhere(scope, 'courses', ids)) if (facts) names.set(id, facts.name);
  return names;
}
