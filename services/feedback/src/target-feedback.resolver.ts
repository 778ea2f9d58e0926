import { PageArgs } from '@hub/core';
import { Arg, Args, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { FeedbackContext } from './context';
import type { FeedbackLoaders } from './loaders';
import { PollConnection } from './poll.resolver';
import { PollKind } from './poll.entity';
import { CommunityRef, SessionRef } from './refs';

/** A page of one session's or community's polls; the page and its total are batched across all parents. */
async function pollsOf(id: string, page: PageArgs, kind: PollKind | null, pages: FeedbackLoaders['pollsOfSession']): Promise<PollConnection> {
  return new PollConnection(await pages.load({ id, filter: { kind }, first: page.first, after: page.after ?? null }));
}

@Resolver(() => SessionRef)
export class SessionFeedbackResolver {
  @FieldResolver(() => PollConnection, { nullable: true, description: 'Polls asked in this session, newest first.' })
  polls(
    @Root() session: SessionRef,
    @Args() page: PageArgs,
    @Ctx() ctx: FeedbackContext,
    @Arg('kind', () => PollKind, { nullable: true }) kind?: PollKind,
  ): Promise<PollConnection> {
    return pollsOf(session.id, page, kind ?? null, ctx.loaders.pollsOfSession);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Answers given to all polls of this session.' })
  feedbackResponseCount(@Root() session: SessionRef, @Ctx() ctx: FeedbackContext): Promise<number> {
    return ctx.loaders.responseCountBySession.load({ id: session.id, filter: {} });
  }
}

@Resolver(() => CommunityRef)
export class CommunityFeedbackResolver {
  @FieldResolver(() => PollConnection, { nullable: true, description: 'Polls asked in this community (outside its sessions), newest first.' })
  polls(
    @Root() community: CommunityRef,
    @Args() page: PageArgs,
    @Ctx() ctx: FeedbackContext,
    @Arg('kind', () => PollKind, { nullable: true }) kind?: PollKind,
  ): Promise<PollConnection> {
    return pollsOf(community.id, page, kind ?? null, ctx.loaders.pollsOfCommunity);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Answers given to all polls of this community (outside its sessions).' })
  feedbackResponseCount(@Root() community: CommunityRef, @Ctx() ctx: FeedbackContext): Promise<number> {
    return ctx.loaders.responseCountByCommunity.load({ id: community.id, filter: {} });
  }
}
