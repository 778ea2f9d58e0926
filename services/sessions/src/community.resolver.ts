import { assertManage, badField, connectionOf, forbidden, inTransaction, isRecordId, newId, notFound, ORGANISATION_KEY, PageArgs, paginate, recordIdPattern, refTo, REGION_ID, TIER_KEY, withinWall } from '@hub/core';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsInt, IsOptional, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Community, CommunityKind, DEFAULT_FORMAT_PHASES, MaturityStage, MeetingMode } from './community.entity';
import { COMMUNITY_ORDER, whereCommunities } from './community-query';
import { appendDocumentVersion } from './community-document.resolver';
import { CommunityDocumentKind } from './community-document.entity';
import type { SessionsContext } from './context';
import { compact } from './criteria';
import { OrganisationRef } from './organisation-ref';
import { ProgramRef } from './program-ref';
import { RegionRef } from './region-ref';
import { SessionStatus } from './session.entity';
import { SessionConnection, SessionPeriodFilter } from './session.resolver';
import { checkPeriod } from './session-query';
import { readable } from './wall';

@ObjectType()
export class CommunityConnection extends connectionOf(Community, 'Community') {}

@InputType()
export class CommunityFilter {
  @Field(() => ID, { nullable: true })
  programId?: string;

  @Field(() => ID, { nullable: true })
  organisationId?: string;

  @Field(() => CommunityKind, { nullable: true })
  kind?: CommunityKind;

  @Field(() => ID, { nullable: true })
  regionId?: string;

  @Field({ nullable: true, description: 'A program tier key.' })
  tier?: string;
}

@InputType()
export class CreateCommunityInput {
  @Field(() => ID, { description: 'The owning organisation (the national manager for national CoPs); prefixes the community\'s ID.' })
  @Matches(ORGANISATION_KEY, { message: 'must be an organisation key' })
  organisationId: string;

  @Field(() => ID)
  @Matches(recordIdPattern('prg'), { message: 'must be a program ID' })
  programId: string;

  @Field(() => CommunityKind)
  kind: CommunityKind;

  @Field(() => String, { nullable: true, description: 'Key of one of the program\'s tiers.' })
  @IsOptional()
  @Matches(TIER_KEY, { message: 'must be a tier key' })
  tier?: string | null;

  @Field(() => Int, { nullable: true, description: 'The level of that tier in the program (Program.tiers level, 1 = top); forums need it for escalation.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(9)
  tierLevel?: number | null;

  @Field()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @Field({ defaultValue: '' })
  @MaxLength(2000)
  purpose: string;

  @Field({ defaultValue: '', description: 'What the community covers and what it leaves out.' })
  @MaxLength(2000)
  scope: string;

  @Field({ defaultValue: '', description: 'What members expect of the community and of each other.' })
  @MaxLength(4000)
  expectations: string;

  @Field({ defaultValue: '', description: 'Its first version (see reviseCommunityDocument).' })
  @MaxLength(20000)
  termsOfReference: string;

  @Field({ defaultValue: '', description: 'Its first version (see reviseCommunityDocument).' })
  @MaxLength(20000)
  codeOfPractice: string;

  @Field(() => String, { nullable: true, description: 'e.g. `quarterly`, `fortnightly`.' })
  @IsOptional()
  @MinLength(1)
  @MaxLength(50)
  cadence?: string | null;

  @Field(() => MeetingMode)
  mode: MeetingMode;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @Matches(REGION_ID, { message: 'must be a region ID' })
  regionId?: string | null;

  @Field(() => MaturityStage, { defaultValue: MaturityStage.POTENTIAL })
  maturityStage: MaturityStage;

  @Field(() => [String], { defaultValue: DEFAULT_FORMAT_PHASES })
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ArrayUnique()
  @MinLength(1, { each: true })
  @MaxLength(50, { each: true })
  formatPhases: string[];
}

@InputType({ description: 'Leave a field out to keep it; null clears tier, cadence and regionId. Organisation and program cannot change.' })
export class UpdateCommunityInput {
  @Field(() => CommunityKind, { nullable: true })
  kind?: CommunityKind;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(TIER_KEY, { message: 'must be a tier key' })
  tier?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(9)
  tierLevel?: number | null;

  @Field({ nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(2000)
  purpose?: string;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(2000)
  scope?: string;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(4000)
  expectations?: string;

  @Field({ nullable: true, description: 'A new version, as reviseCommunityDocument without a change note.' })
  @IsOptional()
  @MaxLength(20000)
  termsOfReference?: string;

  @Field({ nullable: true, description: 'A new version, as reviseCommunityDocument without a change note.' })
  @IsOptional()
  @MaxLength(20000)
  codeOfPractice?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(50)
  cadence?: string | null;

  @Field(() => MeetingMode, { nullable: true })
  mode?: MeetingMode;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @Matches(REGION_ID, { message: 'must be a region ID' })
  regionId?: string | null;

  @Field(() => MaturityStage, { nullable: true })
  maturityStage?: MaturityStage;

  @Field(() => [String], { nullable: true, description: 'Used by sessions scheduled from now on.' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ArrayUnique()
  @MinLength(1, { each: true })
  @MaxLength(50, { each: true })
  formatPhases?: string[];
}

@Resolver(() => Community)
export class CommunityResolver {
  @Query(() => Community, { nullable: true })
  community(@Arg('id', () => ID) id: string, @Ctx() ctx: SessionsContext): Promise<Community | null> {
    return ctx.loaders.community.load(id);
  }

  @Query(() => CommunityConnection, { description: 'Communities by name.' })
  async communities(
    @Args() page: PageArgs,
    @Ctx() ctx: SessionsContext,
    @Arg('filter', () => CommunityFilter, { nullable: true }) filter?: CommunityFilter,
  ): Promise<CommunityConnection> {
    const qb = whereCommunities(ctx.db.getRepository(Community).createQueryBuilder('community'), compact({ ...filter }));
    withinWall(qb, ctx.scope, 'community.organisation_id');
    return new CommunityConnection(await paginate(qb, page, COMMUNITY_ORDER));
  }

  @FieldResolver(() => ProgramRef, { nullable: true })
  program(@Root() community: Community): ProgramRef {
    return refTo(ProgramRef, community.programId);
  }

  @FieldResolver(() => OrganisationRef, { nullable: true, description: 'The owning organisation.' })
  organisation(@Root() community: Community): OrganisationRef {
    return refTo(OrganisationRef, community.organisationId);
  }

  @FieldResolver(() => RegionRef, { nullable: true })
  region(@Root() community: Community): RegionRef | null {
    return community.regionId ? refTo(RegionRef, community.regionId) : null;
  }

  @FieldResolver(() => SessionConnection, { description: 'The community\'s sessions by start time.' })
  async sessions(
    @Root() community: Community,
    @Args() page: PageArgs,
    @Ctx() ctx: SessionsContext,
    @Arg('filter', () => SessionPeriodFilter, { nullable: true }) filter?: SessionPeriodFilter,
  ): Promise<SessionConnection> {
    checkPeriod(filter ?? {}, 'filter.');
    const key = { id: community.id, filter: compact({ ...filter }), first: page.first, after: page.after ?? null };
    return new SessionConnection(await ctx.loaders.sessionsOfCommunity.load(key));
  }

  @FieldResolver(() => Int)
  sessionCount(
    @Root() community: Community,
    @Ctx() ctx: SessionsContext,
    @Arg('status', () => SessionStatus, { nullable: true }) status?: SessionStatus,
  ): Promise<number> {
    return ctx.loaders.sessionCountOfCommunity.load({ id: community.id, filter: compact({ status }) });
  }

  @Mutation(() => Community, { description: 'For the owning organisation\'s administrators, in a program the organisation takes part in.' })
  createCommunity(@Arg('input') input: CreateCommunityInput, @Ctx() ctx: SessionsContext): Promise<Community> {
    const { scope } = ctx;
    assertManage(scope, input.organisationId, 'input.organisationId');
    if (scope.role !== 'system' && !scope.programs.includes(input.programId)) {
      throw forbidden(`${input.organisationId} does not take part in program ${input.programId}`, 'input.programId');
    }
    return inTransaction(ctx.db, async (m) => {
      const community = await m.save(
        Community,
        m.create(Community, {
          ...input,
          id: newId(input.organisationId, 'com'),
          tier: input.tier ?? null,
          tierLevel: input.tierLevel ?? null,
          cadence: input.cadence ?? null,
          regionId: input.regionId ?? null,
        }),
      );
      // the first versions of its documents, so the history starts where the community does
      if (input.termsOfReference) await appendDocumentVersion(m, community, CommunityDocumentKind.TERMS_OF_REFERENCE, input.termsOfReference, scope.subject, 'First version');
      if (input.codeOfPractice) await appendDocumentVersion(m, community, CommunityDocumentKind.CODE_OF_PRACTICE, input.codeOfPractice, scope.subject, 'First version');
      return community;
    });
  }

  @Mutation(() => Community, { description: 'For the owning organisation\'s administrators.' })
  updateCommunity(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateCommunityInput, @Ctx() ctx: SessionsContext): Promise<Community> {
    if (!isRecordId(id, 'com')) throw badField('id', 'is not a community ID');
    return inTransaction(ctx.db, async (m) => {
      const community = readable(ctx.scope, await m.findOne(Community, { where: { id }, lock: { mode: 'pessimistic_write' } }));
      if (!community) throw notFound('Community', id);
      assertManage(ctx.scope, community.organisationId, 'id');
      for (const [key, kind] of [['termsOfReference', CommunityDocumentKind.TERMS_OF_REFERENCE], ['codeOfPractice', CommunityDocumentKind.CODE_OF_PRACTICE]] as const) {
        const text = input[key];
        if (text !== undefined && text !== null && text !== community[key]) await appendDocumentVersion(m, community, kind, text, ctx.scope.subject);
      }
      for (const key of ['kind', 'name', 'purpose', 'scope', 'expectations', 'mode', 'maturityStage', 'formatPhases'] as const) {
        if (input[key] !== undefined && input[key] !== null) Object.assign(community, { [key]: input[key] });
      }
      for (const key of ['tier', 'tierLevel', 'cadence', 'regionId'] as const) {
        if (input[key] !== undefined) Object.assign(community, { [key]: input[key] ?? null });
      }
      return m.save(Community, community);
    });
  }
}
