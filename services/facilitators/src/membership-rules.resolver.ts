import { badField, forbidden, inTransaction, mayManage, mayRead, notFound, ownerOf, refTo, REGION_ID, type AccessScope } from '@hub/core';
import { ArrayMaxSize, IsInt, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { In } from 'typeorm';
import { mayReadCourse } from './access-rules';
import { CommunityMembership } from './community-membership.entity';
import type { FacilitatorsContext } from './context';
import { todayUtc } from './dates';
import { breachesOf } from './membership-rules';
import { CommunityMembershipRules, MembershipRule, RequiredTraining } from './membership-rules.entity';
import { courseNamesHeldElsewhere, rulesHeldElsewhere } from './held-elsewhere';
import { checkRecordId } from './record-ids';
import { CommunityRef, RegionRef } from './refs';
import { TrainingCourse } from './training-course.entity';
import { AccreditationLevel } from './training-record.entity';

@InputType()
export class RequiredTrainingInput {
  @Field(() => ID, { description: 'A course of the program\'s training catalogue.' })
  courseId: string;

  @Field(() => AccreditationLevel, { defaultValue: AccreditationLevel.FOUNDATION })
  minimumLevel: AccreditationLevel;
}

@InputType({ description: 'The whole rule set: it replaces the community\'s rules. Everything left out asks nothing.' })
export class SetMembershipRulesInput {
  @Field(() => [RequiredTrainingInput], { defaultValue: [], description: 'Courses every member must have completed at the level, current on the day checked; each course once.' })
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  requiredTraining: RequiredTrainingInput[];

  @Field(() => [ID], {
    defaultValue: [],
    description:
      'Regions a member may work in (Facilitator.region). Regions are a hierarchy kept by the partners subgraph, which this one cannot read: list the region and every region inside it that is accepted (e.g. a state and its regions). Empty: any region.',
  })
  @ArrayMaxSize(200)
  @Matches(REGION_ID, { each: true, message: 'must be region ids' })
  acceptedRegionIds: string[];

  @Field({ defaultValue: false, description: 'Members must agree to keep what is shared confidential (CommunityMembership.confidentialityAgreed).' })
  confidentialityRequired: boolean;

  @Field(() => Int, { nullable: true, description: 'Each member facilitates at least one in this many sessions (1 to 100); null: no expectation.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  facilitatesOneIn?: number | null;
}

@ObjectType({ description: 'A current member breaking one of its community\'s membership rules now, and why.' })
export class MembershipRuleBreach {
  @Field(() => CommunityMembership)
  membership: CommunityMembership;

  @Field(() => MembershipRule)
  rule: MembershipRule;

  @Field({ description: 'Why, e.g. "has completed Trauma-informed practice (FOUNDATION or above), but it expired on 2025-03-01".' })
  reason: string;

  @Field(() => ID, { nullable: true, description: 'The course of a TRAINING rule, even where `course` is out of reach.' })
  courseId: string | null;
}

/** Who may change a community's rules: its organisation's administrators (NOT_FOUND outside the wall). */
function checkMaySetRules(scope: AccessScope, communityId: string): string {
  const owner = ownerOf(communityId) as string;
  if (!mayRead(scope, owner)) throw notFound('Community', communityId, 'communityId');
  if (!mayManage(scope, owner)) throw forbidden(`Only ${owner}'s administrators may set this community's membership rules`, 'communityId');
  return owner;
}

/**
 * A community's rules: kept with the community, so held where it is. A deployment asked for what it
 * holds of a community another deployment holds (`gathering`: its members of a national community),
 * or holding a membership of another organisation's community, gets them vouched for by the gateway.
 */
async function rulesOf(ctx: FacilitatorsContext, communityId: string, memberOrganisation?: string): Promise<CommunityMembershipRules | null> {
  const here = await ctx.loaders.membershipRules.load(communityId);
  if (here) return here;
  const elsewhere = ctx.scope.elsewhere?.gathering || (memberOrganisation !== undefined && memberOrganisation !== ownerOf(communityId));
  return elsewhere ? rulesHeldElsewhere(ctx.scope, communityId) : null;
}

/** The rules `membership` breaks today (none once it has ended, or when the caller cannot read the facilitator). */
async function breachesOfMembership(ctx: FacilitatorsContext, membership: CommunityMembership, rules: CommunityMembershipRules | null): Promise<MembershipRuleBreach[]> {
  if (!rules || membership.leftOn !== null) return [];
  const [facilitator, records, courses] = await Promise.all([
    ctx.loaders.facilitator.load(membership.facilitatorId),
    ctx.loaders.trainingRecordsOfFacilitator.load(membership.facilitatorId),
    ctx.loaders.course.loadMany(rules.requiredTraining.map((r) => r.courseId)),
  ]);
  if (!facilitator) return [];
  const names = new Map<string, string>();
  for (const c of courses) if (c instanceof TrainingCourse) names.set(c.id, c.name);
  // courses of the catalogue another deployment holds (a node's member of a national community)
  const elsewhere = courseNamesHeldElsewhere(ctx.scope, rules.requiredTraining.map((r) => r.courseId).filter((id) => !names.has(id) && ctx.scope.elsewhere));
  for (const [id, name] of elsewhere) names.set(id, name);
  const found = breachesOf(rules, { regionId: facilitator.regionId, confidentialityAgreed: membership.confidentialityAgreed, records }, todayUtc(), (id) => names.get(id) ?? `course ${id}`);
  return found.map((b) => Object.assign(new MembershipRuleBreach(), { membership, rule: b.rule, reason: b.reason, courseId: b.courseId }));
}

@Resolver(() => CommunityMembershipRules)
export class MembershipRulesResolver {
  @FieldResolver(() => CommunityRef, { nullable: true })
  community(@Root() rules: CommunityMembershipRules): CommunityRef {
    return refTo(CommunityRef, rules.communityId);
  }

  @FieldResolver(() => [RegionRef], { description: 'Regions a member may work in; empty: any. An explicit list (a region and those inside it), as regions are kept by the partners subgraph.' })
  acceptedRegions(@Root() rules: CommunityMembershipRules): RegionRef[] {
    return rules.acceptedRegionIds.map((id) => refTo(RegionRef, id));
  }

  @Mutation(() => CommunityMembershipRules, {
    description:
      'Sets (replaces) a community\'s membership rules, checked from then on by joinCommunity and reported in Community.ruleBreaches. By the community\'s organisation\'s administrators.',
  })
  setMembershipRules(
    @Arg('communityId', () => ID) communityId: string,
    @Arg('input') input: SetMembershipRulesInput,
    @Ctx() ctx: FacilitatorsContext,
  ): Promise<CommunityMembershipRules> {
    checkRecordId(communityId, 'com', 'communityId');
    const owner = checkMaySetRules(ctx.scope, communityId);
    const seen = new Set<string>();
    input.requiredTraining.forEach((r, i) => {
      checkRecordId(r.courseId, 'trc', `input.requiredTraining.${i}.courseId`);
      if (seen.has(r.courseId)) throw badField(`input.requiredTraining.${i}.courseId`, 'is required twice');
      seen.add(r.courseId);
    });
    return inTransaction(ctx.db, async (m) => {
      const courses = await m.findBy(TrainingCourse, { id: In([...seen]) });
      input.requiredTraining.forEach((r, i) => {
        const course = courses.find((c) => c.id === r.courseId);
        if (!course || !mayReadCourse(ctx.scope, course)) throw notFound('TrainingCourse', r.courseId, `input.requiredTraining.${i}.courseId`);
      });
      const rules = (await m.findOne(CommunityMembershipRules, { where: { communityId }, lock: { mode: 'pessimistic_write' } })) ?? m.create(CommunityMembershipRules, { communityId, organisationId: owner });
      rules.requiredTraining = input.requiredTraining.map((r) => ({ courseId: r.courseId, minimumLevel: r.minimumLevel }));
      rules.acceptedRegionIds = [...new Set(input.acceptedRegionIds)];
      rules.confidentialityRequired = input.confidentialityRequired;
      rules.facilitatesOneIn = input.facilitatesOneIn ?? null;
      return m.save(CommunityMembershipRules, rules);
    });
  }
}

@Resolver(() => RequiredTraining)
export class RequiredTrainingResolver {
  @FieldResolver(() => TrainingCourse, { nullable: true, description: 'Null when the course is outside the caller\'s reach.' })
  course(@Root() required: RequiredTraining, @Ctx() ctx: FacilitatorsContext): Promise<TrainingCourse | null> {
    return ctx.loaders.course.load(required.courseId);
  }
}

@Resolver(() => MembershipRuleBreach)
export class MembershipRuleBreachResolver {
  @FieldResolver(() => TrainingCourse, { nullable: true, description: 'The course of a TRAINING rule.' })
  course(@Root() breach: MembershipRuleBreach, @Ctx() ctx: FacilitatorsContext): Promise<TrainingCourse | null> | null {
    return breach.courseId ? ctx.loaders.course.load(breach.courseId) : null;
  }
}

/** A community's rules and who breaks them. Every field is batched across communities. */
@Resolver(() => CommunityRef)
export class CommunityRulesResolver {
  @FieldResolver(() => CommunityMembershipRules, { nullable: true, description: 'The rules members are held to; null when none are set (or the community is outside the caller\'s wall).' })
  membershipRules(@Root() community: CommunityRef, @Ctx() ctx: FacilitatorsContext): Promise<CommunityMembershipRules | null> {
    return ctx.loaders.membershipRules.load(community.id);
  }

  @FieldResolver(() => [MembershipRuleBreach], {
    nullable: true,
    description:
      'Current members who break a rule today (training expired since joining, region changed, confidentiality withdrawn), one entry per broken rule, members in the order joined; only members whose records the caller may read. For the community\'s organisation\'s administrators; otherwise null (FORBIDDEN). The facilitation share is not among them: compare Community.facilitationShare with membershipRules.minimumFacilitationShare.',
  })
  async ruleBreaches(@Root() community: CommunityRef, @Ctx() ctx: FacilitatorsContext): Promise<MembershipRuleBreach[] | null> {
    const owner = ownerOf(community.id);
    if (owner === null || !mayRead(ctx.scope, owner)) return null;
    if (!mayManage(ctx.scope, owner)) throw forbidden(`Who breaks ${owner}'s community rules is only for its administrators`);
    const [rules, members] = await Promise.all([rulesOf(ctx, community.id), ctx.loaders.activeMembersOfCommunity.load(community.id)]);
    if (!rules) return [];
    return (await Promise.all(members.map((m) => breachesOfMembership(ctx, m, rules)))).flat();
  }
}

@Resolver(() => CommunityMembership)
export class MembershipBreachesResolver {
  @FieldResolver(() => [MembershipRuleBreach], {
    nullable: true,
    description:
      'The community\'s rules this member breaks today (none once the membership has ended). For the community\'s administrators, the member\'s organisation\'s administrators and the facilitator itself; otherwise null (FORBIDDEN).',
  })
  async breaches(@Root() membership: CommunityMembership, @Ctx() ctx: FacilitatorsContext): Promise<MembershipRuleBreach[]> {
    const community = ownerOf(membership.communityId);
    const allowed =
      (community !== null && mayManage(ctx.scope, community)) ||
      mayManage(ctx.scope, membership.organisationId) ||
      (ctx.scope.role === 'facilitator' && ctx.scope.facilitator === membership.facilitatorId);
    if (!allowed) throw forbidden('A member\'s rule breaches are only for the community\'s administrators, the member\'s organisation\'s administrators and the member');
    return breachesOfMembership(ctx, membership, await rulesOf(ctx, membership.communityId, membership.organisationId));
  }
}
