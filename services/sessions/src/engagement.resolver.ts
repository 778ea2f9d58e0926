import {
  assertManage, badField, badUserInput, forbidden, inTransaction, IsDay, isRecordId, mayManage, mayManageProgram, newId, notFound, ORGANISATION_KEY,
  publishEvent, recordIdPattern, refTo, REGION_ID, seesDetail, type AccessScope, type ChangeEvent, type SubscriptionContext,
} from '@hub/core';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsOptional, Matches, MaxLength, MinLength } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import { overlapPairs, type EngagementPair } from './cop-forum-loaders';
import type { SessionsContext } from './context';
import { PlannedEngagement } from './engagement.entity';
import { OrganisationRef } from './organisation-ref';
import { ProgramRef } from './program-ref';
import { RegionRef } from './region-ref';

/** Key: an organisation ID or a program ID. An overlap of planned engagements involving it was created. */
export const ENGAGEMENT_OVERLAP_TOPIC = 'engagement-overlap';

@ObjectType('PlannedEngagement', {
  description:
    'An organisation\'s planned community engagement. Title and audiences are for the organisation\'s administrators and, when its sharing agreement opens engagement plans, the national manager; otherwise null with detailsWithheld.',
})
export class EngagementPlan {
  @Field(() => ID)
  id: string;

  @Field(() => OrganisationRef, { nullable: true })
  organisation: OrganisationRef;

  @Field(() => ProgramRef, { nullable: true })
  program: ProgramRef;

  @Field(() => [RegionRef])
  regions: RegionRef[];

  @Field({ description: 'YYYY-MM-DD' })
  startsOn: string;

  @Field({ description: 'YYYY-MM-DD, inclusive' })
  endsOn: string;

  @Field(() => String, { nullable: true })
  title: string | null;

  @Field(() => [String], { nullable: true, description: 'In lower case.' })
  audiences: string[] | null;

  @Field()
  detailsWithheld: boolean;
}

@ObjectType({
  description:
    'Two organisations\' planned engagements of one program that reach a shared region and audience in overlapping date windows. Each side shows what the caller may see of it.',
})
export class EngagementOverlap {
  @Field(() => ID, { description: 'The two engagement IDs joined by `+`, in the order of `engagements`.' })
  id: string;

  @Field(() => [EngagementPlan], { description: 'The two engagements: the caller\'s own organisation\'s first, otherwise by organisation ID.' })
  engagements: EngagementPlan[];

  @Field(() => [OrganisationRef], { nullable: 'items' })
  organisations: OrganisationRef[];

  @Field(() => [RegionRef], { description: 'The regions both reach.' })
  regions: RegionRef[];

  @Field(() => [String], { nullable: true, description: 'The audiences both reach: only when the caller sees both sides\' details.' })
  audiences: string[] | null;

  @Field({ description: 'The first day both run.' })
  startsOn: string;

  @Field({ description: 'The last day both run.' })
  endsOn: string;
}

@InputType()
export class PlanEngagementInput {
  @Field(() => ID)
  @Matches(ORGANISATION_KEY, { message: 'must be an organisation key' })
  organisationId: string;

  @Field(() => ID)
  @Matches(recordIdPattern('prg'), { message: 'must be a program ID' })
  programId: string;

  @Field()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @Field(() => [ID], { description: 'Regions reached; an overlap needs the same region ID (a state does not contain its regions here).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(REGION_ID, { each: true, message: 'must be region IDs' })
  regionIds: string[];

  @Field(() => [String], { description: 'Audiences reached, e.g. `parents`, `aboriginal families`; compared without case.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  audiences: string[];

  @Field({ description: 'YYYY-MM-DD' })
  @IsDay()
  startsOn: string;

  @Field({ description: 'YYYY-MM-DD, inclusive; not before startsOn' })
  @IsDay()
  endsOn: string;
}

@InputType({ description: 'Leave a field out to keep it. Organisation and program cannot change.' })
export class UpdateEngagementInput {
  @Field({ nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(200)
  title?: string;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(REGION_ID, { each: true, message: 'must be region IDs' })
  regionIds?: string[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  audiences?: string[];

  @Field({ nullable: true })
  @IsOptional()
  @IsDay()
  startsOn?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsDay()
  endsOn?: string;
}

const normalised = (audiences: string[]) => [...new Set(audiences.map((a) => a.trim().toLowerCase()).filter((a) => a.length > 0))];

/** What the caller may see of a plan. */
export function planView(scope: AccessScope, e: PlannedEngagement): EngagementPlan {
  const full = seesDetail(scope, e.organisationId, 'engagements');
  return Object.assign(new EngagementPlan(), {
    id: e.id,
    organisation: refTo(OrganisationRef, e.organisationId),
    program: refTo(ProgramRef, e.programId),
    regions: e.regionIds.map((r) => refTo(RegionRef, r)),
    startsOn: e.startsOn,
    endsOn: e.endsOn,
    title: full ? e.title : null,
    audiences: full ? e.audiences : null,
    detailsWithheld: !full,
  });
}

/** The overlap of a pair as the caller may see it, its own organisation's side first. */
export function overlapView(scope: AccessScope, pair: EngagementPair): EngagementOverlap {
  // the caller's own side first; otherwise by organisation, so every way of asking gives the same order
  const own = (e: PlannedEngagement) => e.organisationId === scope.organisation;
  const swap = own(pair.b) || (!own(pair.a) && pair.b.organisationId < pair.a.organisationId);
  const [a, b] = swap ? [pair.b, pair.a] : [pair.a, pair.b];
  const both = seesDetail(scope, a.organisationId, 'engagements') && seesDetail(scope, b.organisationId, 'engagements');
  return Object.assign(new EngagementOverlap(), {
    id: `${a.id}+${b.id}`,
    engagements: [planView(scope, a), planView(scope, b)],
    organisations: [refTo(OrganisationRef, a.organisationId), refTo(OrganisationRef, b.organisationId)],
    regions: a.regionIds.filter((r) => b.regionIds.includes(r)).map((r) => refTo(RegionRef, r)),
    audiences: both ? a.audiences.filter((x) => b.audiences.includes(x)) : null,
    startsOn: a.startsOn > b.startsOn ? a.startsOn : b.startsOn,
    endsOn: a.endsOn < b.endsOn ? a.endsOn : b.endsOn,
  });
}

/** An organisation's overlaps are for its administrators and a national manager (whose wall holds it). */
function assertSeesOverlapsOf(scope: AccessScope, organisationId: string): void {
  if (mayManage(scope, organisationId)) return;
  if (scope.role === 'national-manager' && scope.organisations.includes(organisationId)) return;
  throw forbidden(`${organisationId}'s engagement overlaps are for its administrators and the national manager`);
}

/** A program's overlaps: all of them for its national manager; a partner's administrators see those involving their organisation. */
function programOverlapFilter(scope: AccessScope, programId: string): (p: EngagementPair) => boolean {
  if (mayManageProgram(scope, programId)) return () => true;
  if (scope.role === 'partner-admin' && scope.organisation && scope.programs.includes(programId)) {
    const own = scope.organisation;
    return (p) => p.a.organisationId === own || p.b.organisationId === own;
  }
  throw forbidden(`The engagement overlaps of ${programId} are for its national manager and its partners' administrators`);
}

const pairKey = (p: EngagementPair) => [p.a.id, p.b.id].sort().join('+');

async function overlapsOf(m: EntityManager, scope: AccessScope, engagementId: string): Promise<EngagementPair[]> {
  return overlapPairs(m, scope, 'a.id', 'a.id = $1', [engagementId]);
}

/** Tells each organisation involved, and the program's national manager, about overlaps that are new. */
async function publishNewOverlaps(m: EntityManager, before: EngagementPair[], after: EngagementPair[]): Promise<void> {
  const known = new Set(before.map(pairKey));
  for (const p of after.filter((x) => !known.has(pairKey(x)))) {
    const data = { engagementIds: [p.a.id, p.b.id] };
    for (const key of [p.a.organisationId, p.b.organisationId, p.a.programId]) await publishEvent(m, { topic: ENGAGEMENT_OVERLAP_TOPIC, key, data });
  }
}

function checkWindow(startsOn: string, endsOn: string): void {
  if (endsOn < startsOn) throw badField('input.endsOn', 'is before startsOn');
}

async function engagementForUpdate(m: EntityManager, scope: AccessScope, id: string): Promise<PlannedEngagement> {
  if (!isRecordId(id, 'eng')) throw badField('id', 'is not a planned engagement ID');
  const e = await m.findOne(PlannedEngagement, { where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!e || !seesDetail(scope, e.organisationId, 'engagements')) throw notFound('PlannedEngagement', id);
  assertManage(scope, e.organisationId, 'id');
  return e;
}

type Subscribe = SubscribeResolverData<unknown, Record<string, unknown>, SubscriptionContext>;

/**
 * Engagement mapping (issue 6 item 4): organisations record planned engagements; overlaps between
 * organisations are found when a plan is made or changed, published to each organisation involved
 * and to the program's national manager, and listed on Organisation and Program.
 */
@Resolver(() => EngagementOverlap)
export class EngagementResolver {
  @Mutation(() => EngagementPlan, { description: 'For the organisation\'s administrators, in a program it takes part in.' })
  planEngagement(@Arg('input') input: PlanEngagementInput, @Ctx() ctx: SessionsContext): Promise<EngagementPlan> {
    const { scope } = ctx;
    assertManage(scope, input.organisationId, 'input.organisationId');
    if (scope.role !== 'system' && !scope.programs.includes(input.programId)) {
      throw forbidden(`${input.organisationId} does not take part in program ${input.programId}`, 'input.programId');
    }
    checkWindow(input.startsOn, input.endsOn);
    return inTransaction(ctx.db, async (m) => {
      const e = m.create(PlannedEngagement, { ...input, id: newId(input.organisationId, 'eng'), audiences: normalised(input.audiences) });
      await m.insert(PlannedEngagement, e);
      await publishNewOverlaps(m, [], await overlapsOf(m, scope, e.id));
      return planView(scope, await m.findOneByOrFail(PlannedEngagement, { id: e.id }));
    });
  }

  @Mutation(() => EngagementPlan, { description: 'For the organisation\'s administrators.' })
  updateEngagement(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateEngagementInput, @Ctx() ctx: SessionsContext): Promise<EngagementPlan> {
    const { scope } = ctx;
    return inTransaction(ctx.db, async (m) => {
      const e = await engagementForUpdate(m, scope, id);
      const before = await overlapsOf(m, scope, e.id);
      if (input.title != null) e.title = input.title;
      if (input.regionIds != null) e.regionIds = input.regionIds;
      if (input.audiences != null) e.audiences = normalised(input.audiences);
      if (input.startsOn != null) e.startsOn = input.startsOn;
      if (input.endsOn != null) e.endsOn = input.endsOn;
      checkWindow(e.startsOn, e.endsOn);
      await m.save(PlannedEngagement, e);
      await publishNewOverlaps(m, before, await overlapsOf(m, scope, e.id));
      return planView(scope, e);
    });
  }

  @Mutation(() => ID, { description: 'Withdraws a plan. For the organisation\'s administrators.' })
  withdrawEngagement(@Arg('id', () => ID) id: string, @Ctx() ctx: SessionsContext): Promise<string> {
    return inTransaction(ctx.db, async (m) => {
      const e = await engagementForUpdate(m, ctx.scope, id);
      await m.delete(PlannedEngagement, { id: e.id });
      return e.id;
    });
  }

  @Subscription(() => EngagementOverlap, {
    nullable: true,
    description:
      'Each new overlap involving the organisation (for its administrators and the national manager) or of the program (for its national manager, and a partner\'s administrators for their own). Give exactly one of organisationId and programId.',
    subscribe: ({ args, context }: Subscribe) => {
      const { organisationId, programId } = args;
      const given = [organisationId, programId].filter((v) => v !== undefined && v !== null);
      if (given.length !== 1) {
        throw badUserInput('Give exactly one of organisationId and programId', [
          { field: 'organisationId', message: 'give either organisationId or programId' },
          { field: 'programId', message: 'give either organisationId or programId' },
        ]);
      }
      if (organisationId != null && (typeof organisationId !== 'string' || !ORGANISATION_KEY.test(organisationId))) throw badField('organisationId', 'is not an organisation ID');
      if (programId != null && (typeof programId !== 'string' || !isRecordId(programId, 'prg'))) throw badField('programId', 'is not a program ID');
      return context.events.subscribe(ENGAGEMENT_OVERLAP_TOPIC, (organisationId ?? programId) as string);
    },
  })
  async engagementOverlaps(
    @Root() event: ChangeEvent,
    @Ctx() ctx: SessionsContext,
    // parameter decorators register last first: this order prints organisationId first
    @Arg('programId', () => ID, { nullable: true }) programId?: string,
    @Arg('organisationId', () => ID, { nullable: true }) organisationId?: string,
  ): Promise<EngagementOverlap | null> {
    const ids = Array.isArray(event.data?.engagementIds) ? (event.data.engagementIds as string[]) : [];
    const [a, b] = await Promise.all(ids.slice(0, 2).map((id) => ctx.loaders.engagement.load(id)));
    if (!a || !b) return null;
    const pair = { a, b };
    try {
      if (organisationId) assertSeesOverlapsOf(ctx.scope, organisationId);
      else if (programId && !programOverlapFilter(ctx.scope, programId)(pair)) return null;
    } catch {
      return null;
    }
    return overlapView(ctx.scope, pair);
  }
}

@Resolver(() => OrganisationRef)
export class OrganisationEngagementResolver {
  @FieldResolver(() => [EngagementPlan], {
    nullable: true,
    description: 'Plans that have not ended, by start: for the organisation\'s administrators and a national manager it shares engagement plans with; otherwise null (FORBIDDEN).',
  })
  async plannedEngagements(@Root() org: OrganisationRef, @Ctx() ctx: SessionsContext): Promise<EngagementPlan[]> {
    if (!seesDetail(ctx.scope, org.id, 'engagements')) throw forbidden(`${org.id}'s engagement plans are not shared with this caller`);
    return (await ctx.loaders.engagementsOfOrganisation.load(org.id)).map((e) => planView(ctx.scope, e));
  }

  @FieldResolver(() => [EngagementOverlap], {
    nullable: true,
    description:
      'Overlaps of the organisation\'s plans with other organisations\' (not yet past): for its administrators and the national manager; otherwise null (FORBIDDEN). The other side shows only organisation, regions and dates unless its details are open to the caller.',
  })
  async engagementOverlaps(
    @Root() org: OrganisationRef,
    @Ctx() ctx: SessionsContext,
    @Arg('programId', () => ID, { nullable: true }) programId?: string,
  ): Promise<EngagementOverlap[]> {
    assertSeesOverlapsOf(ctx.scope, org.id);
    const pairs = await ctx.loaders.overlapsOfOrganisation.load({ id: org.id, filter: programId ? { programId } : {} });
    return pairs.map((p) => overlapView(ctx.scope, p));
  }
}

@Resolver(() => ProgramRef)
export class ProgramEngagementResolver {
  @FieldResolver(() => [EngagementOverlap], {
    nullable: true,
    description:
      'Overlapping plans of different organisations (not yet past): all for the national manager, those involving its own organisation for a partner\'s administrators; otherwise null (FORBIDDEN).',
  })
  async engagementOverlaps(@Root() program: ProgramRef, @Ctx() ctx: SessionsContext): Promise<EngagementOverlap[]> {
    const keep = programOverlapFilter(ctx.scope, program.id);
    const pairs = await ctx.loaders.overlapsOfProgram.load({ id: program.id, filter: null });
    return pairs.filter(keep).map((p) => overlapView(ctx.scope, p));
  }
}
