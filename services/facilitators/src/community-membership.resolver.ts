import { badField, badUserInput, conflict, forbidden, inTransaction, IsDay, mayManage, mayRead, newId, notFound, ownerOf, refTo, type AccessScope } from '@hub/core';
import { IsOptional } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Resolver, Root } from 'type-graphql';
import { In, IsNull, type EntityManager } from 'typeorm';
import { mayReadCourse, mayReadFacilitatorsOf, visibleOwner } from './access-rules';
import { CommunityMembership, CommunityRole } from './community-membership.entity';
import { coursesFor, membershipRulesFor } from './held-elsewhere';
import type { FacilitatorsContext } from './context';
import { checkNotFuture, todayUtc } from './dates';
import { Facilitator, FacilitatorStatus } from './facilitator.entity';
import { checkRecordId } from './record-ids';
import { breachesOf } from './membership-rules';
import { MembershipRule } from './membership-rules.entity';
import { CommunityRef } from './refs';
import { TrainingRecord } from './training-record.entity';

@InputType()
export class JoinCommunityInput {
  @Field(() => ID)
  facilitatorId: string;

  @Field(() => ID, { description: 'A community of the sessions subgraph, `<organisation>.com_<ulid>`.' })
  communityId: string;

  @Field(() => CommunityRole, { defaultValue: CommunityRole.MEMBER })
  role: CommunityRole;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, not in the future; left out: today (UTC).' })
  @IsOptional()
  @IsDay()
  joinedOn?: string | null;

  @Field({ defaultValue: false })
  confidentialityAgreed: boolean;
}

@InputType()
export class LeaveCommunityInput {
  @Field(() => ID)
  membershipId: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, not before joinedOn nor in the future; left out: today (UTC).' })
  @IsOptional()
  @IsDay()
  leftOn?: string | null;
}

@InputType({ description: 'Leave a field out to keep it.' })
export class UpdateCommunityMembershipInput {
  @Field(() => CommunityRole, { nullable: true })
  @IsOptional()
  role?: CommunityRole;

  @Field({ nullable: true })
  @IsOptional()
  confidentialityAgreed?: boolean;
}

/**
 * Refuses a join that breaks the community's membership rules on the joining day: BAD_USER_INPUT
 * naming each broken rule (the facilitator's training and region on `input.facilitatorId`,
 * confidentiality on `input.confidentialityAgreed`) with the reason.
 */
async function checkMembershipRules(
  m: EntityManager,
  scope: AccessScope,
  facilitator: Facilitator,
  input: Pick<JoinCommunityInput, 'communityId' | 'confidentialityAgreed'>,
  joinedOn: string,
): Promise<void> {
  const rules = await membershipRulesFor(m, scope, input.communityId);
  if (!rules || !mayRead(scope, rules.organisationId)) return;
  const courseIds = rules.requiredTraining.map((r) => r.courseId);
  const records = courseIds.length ? await m.findBy(TrainingRecord, { facilitatorId: facilitator.id, courseId: In(courseIds) }) : [];
  const courses = await coursesFor(m, scope, courseIds);
  const names = new Map(courses.filter((c) => mayReadCourse(scope, c)).map((c) => [c.id, c.name]));
  const candidate = { regionId: facilitator.regionId, confidentialityAgreed: input.confidentialityAgreed, records };
  const breaches = breachesOf(rules, candidate, joinedOn, (id) => names.get(id) ?? `course ${id}`);
  if (breaches.length === 0) return;
  throw badUserInput(
    `The facilitator does not meet this community's membership rules: ${breaches.map((b) => b.reason).join('; ')}`,
    breaches.map((b) => ({ field: b.rule === MembershipRule.CONFIDENTIALITY ? 'input.confidentialityAgreed' : 'input.facilitatorId', message: b.reason })),
  );
}

/**
 * Memberships are changed by the member's organisation's administrators, or by the facilitator
 * itself. `owner` is the member's organisation (a membership's ID names it, as a facilitator's does).
 */
function checkMayChangeMembership(scope: AccessScope, owner: string, facilitatorId: string, field: string): void {
  if (mayManage(scope, owner)) return;
  if (scope.role === 'facilitator' && scope.facilitator === facilitatorId) return;
  throw forbidden(`Only ${owner}'s administrators or the facilitator itself may change this membership`, field);
}

/** A membership read for a change: NOT_FOUND when absent or outside the caller's wall. */
async function membershipToChange(m: EntityManager, scope: AccessScope, id: string, field: string): Promise<CommunityMembership> {
  visibleOwner(scope, id, 'CommunityMembership', field);
  const membership = await m.findOne(CommunityMembership, { where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!membership || !mayReadFacilitatorsOf(scope, membership.organisationId)) throw notFound('CommunityMembership', id, field);
  checkMayChangeMembership(scope, membership.organisationId, membership.facilitatorId, field);
  return membership;
}

@Resolver(() => CommunityMembership)
export class CommunityMembershipResolver {
  @FieldResolver(() => Facilitator)
  async facilitator(@Root() membership: CommunityMembership, @Ctx() ctx: FacilitatorsContext): Promise<Facilitator> {
    return (await ctx.loaders.facilitator.load(membership.facilitatorId)) as Facilitator;
  }

  @FieldResolver(() => CommunityRef, { nullable: true })
  community(@Root() membership: CommunityMembership): CommunityRef {
    return refTo(CommunityRef, membership.communityId);
  }

  @Mutation(() => CommunityMembership, {
    description:
      'Makes a facilitator a member of a community; CONFLICT when already an active member; BAD_USER_INPUT naming each of the community\'s membership rules the facilitator breaks on the joining day (training, region, confidentiality), with the reason. By its organisation\'s administrators or the facilitator itself.',
  })
  joinCommunity(@Arg('input') input: JoinCommunityInput, @Ctx() ctx: FacilitatorsContext): Promise<CommunityMembership> {
    checkRecordId(input.facilitatorId, 'fac', 'input.facilitatorId');
    checkRecordId(input.communityId, 'com', 'input.communityId');
    const joinedOn = input.joinedOn ?? todayUtc();
    checkNotFuture(joinedOn, 'input.joinedOn');
    const owner = visibleOwner(ctx.scope, input.facilitatorId, 'Facilitator', 'input.facilitatorId');
    checkMayChangeMembership(ctx.scope, owner, input.facilitatorId, 'input.facilitatorId');
    // a community outside the caller's wall is as if absent
    if (!mayRead(ctx.scope, ownerOf(input.communityId) as string)) throw notFound('Community', input.communityId, 'input.communityId');
    return inTransaction(ctx.db, async (m) => {
      // The lock serialises joins of one facilitator, so two at once cannot both pass the check below.
      const facilitator = await m.findOne(Facilitator, { where: { id: input.facilitatorId }, lock: { mode: 'pessimistic_write' } });
      if (!facilitator || !mayReadFacilitatorsOf(ctx.scope, facilitator.organisationId)) {
        throw notFound('Facilitator', input.facilitatorId, 'input.facilitatorId');
      }
      if (facilitator.status === FacilitatorStatus.INACTIVE) throw badField('input.facilitatorId', 'is an inactive facilitator');
      if (await m.existsBy(CommunityMembership, { facilitatorId: facilitator.id, communityId: input.communityId, leftOn: IsNull() })) {
        throw conflict('The facilitator is already a member of this community', [
          { field: 'input.communityId', message: 'the facilitator is already an active member' },
        ]);
      }
      await checkMembershipRules(m, ctx.scope, facilitator, input, joinedOn);
      return m.save(
        CommunityMembership,
        m.create(CommunityMembership, {
          id: newId(facilitator.organisationId, 'mem'),
          organisationId: facilitator.organisationId,
          facilitatorId: facilitator.id,
          communityId: input.communityId,
          role: input.role,
          joinedOn,
          leftOn: null,
          confidentialityAgreed: input.confidentialityAgreed,
        }),
      );
    });
  }

  @Mutation(() => CommunityMembership, { description: 'Ends an active membership. By the member\'s organisation\'s administrators or the facilitator itself.' })
  leaveCommunity(@Arg('input') input: LeaveCommunityInput, @Ctx() ctx: FacilitatorsContext): Promise<CommunityMembership> {
    checkRecordId(input.membershipId, 'mem', 'input.membershipId');
    const leftOn = input.leftOn ?? todayUtc();
    checkNotFuture(leftOn, 'input.leftOn');
    return inTransaction(ctx.db, async (m) => {
      const membership = await membershipToChange(m, ctx.scope, input.membershipId, 'input.membershipId');
      if (membership.leftOn !== null) {
        throw conflict('This membership has already ended', [{ field: 'input.membershipId', message: `ended on ${membership.leftOn}` }]);
      }
      if (leftOn < membership.joinedOn) throw badField('input.leftOn', `is before joinedOn (${membership.joinedOn})`);
      membership.leftOn = leftOn;
      return m.save(CommunityMembership, membership);
    });
  }

  @Mutation(() => CommunityMembership, { description: 'By the member\'s organisation\'s administrators or the facilitator itself.' })
  updateCommunityMembership(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateCommunityMembershipInput,
    @Ctx() ctx: FacilitatorsContext,
  ): Promise<CommunityMembership> {
    checkRecordId(id, 'mem', 'id');
    return inTransaction(ctx.db, async (m) => {
      const membership = await membershipToChange(m, ctx.scope, id, 'id');
      if (input.role != null) membership.role = input.role;
      if (input.confidentialityAgreed != null) membership.confidentialityAgreed = input.confidentialityAgreed;
      return m.save(CommunityMembership, membership);
    });
  }
}
