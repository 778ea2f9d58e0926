import { badField, connectionOf, forbidden, inTransaction, isRecordId, newId, notFound, PageArgs, recordIdPattern, refTo, withinWall } from '@hub/core';
import { ArrayMaxSize, IsOptional, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Community } from './community.entity';
import { CommunityResource } from './community-resource.entity';
import type { SessionsContext } from './context';
import { resourcesWithinWall } from './cop-loaders';
import { OrganisationRef } from './organisation-ref';
import { searchPage, checkSearchText } from './search';
import { Session, SessionStatus } from './session.entity';
import { SessionLearning } from './session-learning.entity';
import { publishSessionChange } from './session-events';
import { requireStatus, sessionForUpdate } from './session-for-update';
import { assertRunSession, readable } from './wall';

@ObjectType()
export class SessionLearningConnection extends connectionOf(SessionLearning, 'SessionLearning') {}

@ObjectType()
export class CommunityResourceConnection extends connectionOf(CommunityResource, 'CommunityResource') {}

/** Tags are kept lower-case, trimmed and once each. */
function normaliseTags(tags: string[], field: string): string[] {
  const clean = [...new Set(tags.map((t) => t.trim().toLowerCase()))];
  if (clean.some((t) => t.length < 1 || t.length > 40)) throw badField(field, 'each tag must be 1 to 40 characters');
  return clean;
}

@InputType()
export class RecordLearningInput {
  @Field(() => ID)
  @Matches(recordIdPattern('ses'), { message: 'must be a session ID' })
  sessionId: string;

  @Field({ description: 'What the group learned, in its own words.' })
  @MinLength(1)
  @MaxLength(4000)
  text: string;

  @Field(() => [String], { defaultValue: [], description: 'Up to 10 words to find it by.' })
  @ArrayMaxSize(10)
  tags: string[];
}

@InputType()
export class ShareResourceInput {
  @Field(() => ID)
  @Matches(recordIdPattern('com'), { message: 'must be a community ID' })
  communityId: string;

  @Field()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @Field(() => String, { nullable: true, description: 'An http(s) link to it, when it lives elsewhere.' })
  @IsOptional()
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'must be an http or https URL' })
  url?: string | null;

  @Field({ defaultValue: '' })
  @MaxLength(4000)
  description: string;

  @Field(() => [String], { defaultValue: [] })
  @ArrayMaxSize(10)
  tags: string[];
}

/**
 * Learnings recorded per session and resources shared per community, searchable with PostgreSQL
 * full-text search within the caller's wall.
 * - Reading: within the wall, like the sessions and communities they belong to; a resource also
 *   where the community is (a national CoP is the program's shared space).
 * - recordLearning: the session's organisation's administrators and the session's facilitators,
 *   on a LIVE or ENDED session.
 * - shareResource: administrators and facilitators (of any organisation) in a community they can
 *   read; the resource belongs to the sharer's organisation. Membership is the facilitators
 *   subgraph's, which this one never calls.
 */
@Resolver(() => SessionLearning)
export class LearningResolver {
  @FieldResolver(() => Session, { nullable: true })
  session(@Root() learning: SessionLearning, @Ctx() ctx: SessionsContext): Promise<Session | null> {
    return ctx.loaders.session.load(learning.sessionId);
  }

  @Query(() => SessionLearningConnection, { description: 'Learnings matching `query` (web search syntax: words, "a phrase", or, -word), best match first, within the caller\'s wall.' })
  searchLearnings(
    @Arg('query') query: string,
    @Args() page: PageArgs,
    @Ctx() ctx: SessionsContext,
    @Arg('programId', () => ID, { nullable: true }) programId?: string,
    @Arg('communityId', () => ID, { nullable: true }) communityId?: string,
  ): Promise<SessionLearningConnection> {
    const text = checkSearchText(query);
    const qb = withinWall(ctx.db.getRepository(SessionLearning).createQueryBuilder('learning'), ctx.scope, 'learning.organisation_id');
    if (programId || communityId) qb.innerJoin(Session, 'session', 'session.id = learning.session_id');
    if (programId) qb.andWhere('session.program_id = :programId', { programId });
    if (communityId) qb.andWhere('session.community_id = :communityId', { communityId });
    return searchPage<SessionLearning>(qb, text, page).then((p) => new SessionLearningConnection(p));
  }

  @Mutation(() => SessionLearning, { description: 'Records a learning of a LIVE or ENDED session: for its organisation\'s administrators and its facilitators.' })
  recordLearning(@Arg('input') input: RecordLearningInput, @Ctx() ctx: SessionsContext): Promise<SessionLearning> {
    const tags = normaliseTags(input.tags, 'input.tags');
    return inTransaction(ctx.db, async (m) => {
      const session = await sessionForUpdate(m, ctx.scope, input.sessionId, 'input.sessionId');
      await assertRunSession(m, ctx.scope, session, 'input.sessionId');
      requireStatus(session, [SessionStatus.LIVE, SessionStatus.ENDED], 'have learnings recorded', 'input.sessionId');
      const learning = m.create(SessionLearning, {
        id: newId(session.organisationId, 'lrn'),
        sessionId: session.id,
        organisationId: session.organisationId,
        text: input.text,
        tags,
        recordedBy: ctx.scope.subject,
        recordedAt: new Date(),
      });
      await m.insert(SessionLearning, learning);
      await publishSessionChange(m, session);
      return learning;
    });
  }
}

@Resolver(() => Session)
export class SessionLearningsResolver {
  @FieldResolver(() => SessionLearningConnection, { description: 'Learnings recorded at this session, in the order recorded.' })
  async learnings(@Root() session: Session, @Args() page: PageArgs, @Ctx() ctx: SessionsContext): Promise<SessionLearningConnection> {
    return new SessionLearningConnection(await ctx.loaders.learningsOfSession.load({ id: session.id, filter: {}, first: page.first, after: page.after ?? null }));
  }
}

@Resolver(() => CommunityResource)
export class ResourceResolver {
  @FieldResolver(() => Community, { nullable: true })
  community(@Root() resource: CommunityResource, @Ctx() ctx: SessionsContext): Promise<Community | null> {
    return ctx.loaders.community.load(resource.communityId);
  }

  @FieldResolver(() => OrganisationRef, { nullable: true, description: 'The organisation that shared it.' })
  organisation(@Root() resource: CommunityResource): OrganisationRef {
    return refTo(OrganisationRef, resource.organisationId);
  }

  @Query(() => CommunityResourceConnection, { description: 'Resources matching `query` (web search syntax), best match first, within the caller\'s wall.' })
  searchResources(
    @Arg('query') query: string,
    @Args() page: PageArgs,
    @Ctx() ctx: SessionsContext,
    @Arg('programId', () => ID, { nullable: true }) programId?: string,
    @Arg('communityId', () => ID, { nullable: true }) communityId?: string,
  ): Promise<CommunityResourceConnection> {
    const text = checkSearchText(query);
    const qb = resourcesWithinWall(ctx.db.getRepository(CommunityResource).createQueryBuilder('resource'), ctx.scope);
    if (programId) qb.andWhere('resource.program_id = :programId', { programId });
    if (communityId) qb.andWhere('resource.community_id = :communityId', { communityId });
    return searchPage<CommunityResource>(qb, text, page).then((p) => new CommunityResourceConnection(p));
  }

  @Mutation(() => CommunityResource, { description: 'Shares a resource with a community the caller can read: for administrators and facilitators; it belongs to the caller\'s organisation.' })
  shareResource(@Arg('input') input: ShareResourceInput, @Ctx() ctx: SessionsContext): Promise<CommunityResource> {
    const { scope } = ctx;
    const tags = normaliseTags(input.tags, 'input.tags');
    if (!isRecordId(input.communityId, 'com')) throw badField('input.communityId', 'must be a community ID');
    return inTransaction(ctx.db, async (m) => {
      const community = readable(scope, await m.findOneBy(Community, { id: input.communityId }));
      if (!community) throw notFound('Community', input.communityId, 'input.communityId');
      if (!['partner-admin', 'national-manager', 'facilitator'].includes(scope.role) || !scope.organisation) {
        throw forbidden('Only administrators and facilitators may share resources', 'input.communityId');
      }
      const resource = m.create(CommunityResource, {
        id: newId(scope.organisation, 'res'),
        communityId: community.id,
        communityOrganisationId: community.organisationId,
        programId: community.programId,
        organisationId: scope.organisation,
        title: input.title,
        url: input.url ?? null,
        description: input.description,
        tags,
        sharedBy: scope.subject,
        sharedAt: new Date(),
      });
      await m.insert(CommunityResource, resource);
      return resource;
    });
  }
}

@Resolver(() => Community)
export class CommunityResourcesResolver {
  @FieldResolver(() => CommunityResourceConnection, { description: 'Resources shared with this community, newest first.' })
  async resources(@Root() community: Community, @Args() page: PageArgs, @Ctx() ctx: SessionsContext): Promise<CommunityResourceConnection> {
    return new CommunityResourceConnection(await ctx.loaders.resourcesOfCommunity.load({ id: community.id, filter: {}, first: page.first, after: page.after ?? null }));
  }
}
