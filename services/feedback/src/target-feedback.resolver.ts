import { badField, PageArgs } from '@hub/core';
import { Arg, Args, Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { FeedbackContext } from './context';
import { groupSizeOf, REQUIRES_GROUP_SIZE } from './group-size';
import type { FeedbackLoaders } from './loaders';
import { PollConnection } from './poll.resolver';
import { PollKind } from './poll.entity';
import { buildTrend, CheckInTrendPoint } from './cop-measures';
import type { Poll } from './poll.entity';
import { CommunityRef, SessionRef } from './refs';
import { suppressedTotal } from './suppression';

/** A page of one session's or community's polls (within the wall); the page and its total are batched across all parents. */
async function pollsOf(id: string, page: PageArgs, kind: PollKind | null, pages: FeedbackLoaders['pollsOfSession']): Promise<PollConnection> {
  return new PollConnection(await pages.load({ id, filter: { kind }, first: page.first, after: page.after ?? null }));
}

const TREND =
  'Its CHECK_IN polls (e.g. "Is this community still meeting a need?") oldest first, optionally only those asked in [from, to), each with ' +
  'its response count and mean rating, suppressed exactly as the poll\'s own results (null below the minimum group size).';

/** The trend of `polls` asked in [from, to); the response cells of all polls of the request in one statement. */
async function trendOf(polls: Poll[], ctx: FeedbackContext, k: number, from?: Date | null, to?: Date | null): Promise<CheckInTrendPoint[]> {
  if (from && to && to.getTime() < from.getTime()) throw badField('to', 'is before from');
  const asked = polls.filter((p) => (!from || p.createdAt.getTime() >= from.getTime()) && (!to || p.createdAt.getTime() < to.getTime()));
  const cells = await Promise.all(asked.map((p) => ctx.loaders.responseCells.load(p.id)));
  return buildTrend(asked, cells, k);
}

const COUNT =
  'Null when it could single someone out: fewer answers than the program\'s minimum group size, or a poll among them ' +
  'answered by fewer people than that (its count would follow by subtraction).';

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

  @Directive(REQUIRES_GROUP_SIZE)
  @FieldResolver(() => Int, { nullable: true, description: `Answers given to all polls of this session. ${COUNT}` })
  async feedbackResponseCount(@Root() session: SessionRef, @Ctx() ctx: FeedbackContext): Promise<number | null> {
    const perPoll = await ctx.loaders.answersPerPollOfSession.load(session.id);
    return suppressedTotal(perPoll.map((p) => p.count), groupSizeOf(session.program));
  }

  @Directive(REQUIRES_GROUP_SIZE)
  @FieldResolver(() => [CheckInTrendPoint], { nullable: true, description: `${TREND}` })
  async checkInTrend(
    @Root() session: SessionRef,
    @Ctx() ctx: FeedbackContext,
    @Arg('from', () => Date, { nullable: true }) from?: Date,
    @Arg('to', () => Date, { nullable: true }) to?: Date,
  ): Promise<CheckInTrendPoint[]> {
    return trendOf(await ctx.loaders.checkInPollsOfSession.load(session.id), ctx, groupSizeOf(session.program), from, to);
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

  @Directive(REQUIRES_GROUP_SIZE)
  @FieldResolver(() => Int, { nullable: true, description: `Answers given to all polls of this community (outside its sessions). ${COUNT}` })
  async feedbackResponseCount(@Root() community: CommunityRef, @Ctx() ctx: FeedbackContext): Promise<number | null> {
    const perPoll = await ctx.loaders.answersPerPollOfCommunity.load(community.id);
    return suppressedTotal(perPoll.map((p) => p.count), groupSizeOf(community.program));
  }

  @Directive(REQUIRES_GROUP_SIZE)
  @FieldResolver(() => [CheckInTrendPoint], { nullable: true, description: `${TREND} Polls of the community itself, not of its sessions (see Session.checkInTrend).` })
  async checkInTrend(
    @Root() community: CommunityRef,
    @Ctx() ctx: FeedbackContext,
    @Arg('from', () => Date, { nullable: true }) from?: Date,
    @Arg('to', () => Date, { nullable: true }) to?: Date,
  ): Promise<CheckInTrendPoint[]> {
    return trendOf(await ctx.loaders.checkInPollsOfCommunity.load(community.id), ctx, groupSizeOf(community.program), from, to);
  }
}
