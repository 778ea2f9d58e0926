import { assertManage, badField, connectionOf, inTransaction, isRecordId, newId, ORGANISATION_KEY, PageArgs, refTo } from '@hub/core';
import { Matches, MaxLength, MinLength } from 'class-validator';
import { Arg, Args, Ctx, Directive, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ConfidencePair, ConfidencePhase } from './confidence-pair.entity';
import type { FeedbackContext } from './context';
import { buildChange, ConfidenceChange } from './cop-measures';
import { groupSizeOf, REQUIRES_GROUP_SIZE } from './group-size';
import { checkPlacement, checkTarget } from './poll.resolver';
import { Poll, PollAnswerType, PollKind, PollStatus, ResultsVisibility } from './poll.entity';
import { CommunityRef, OrganisationRef, ProgramRef, SessionRef } from './refs';

@ObjectType()
export class ConfidencePairConnection extends connectionOf(ConfidencePair, 'ConfidencePair') {}

@InputType()
export class CreateConfidencePairInput {
  @Field(() => ID, { description: 'The organisation running the pair; its key prefixes the IDs of the pair and its two polls.' })
  @Matches(ORGANISATION_KEY, { message: 'must be an organisation key' })
  organisationId: string;

  @Field(() => ID)
  programId: string;

  @Field(() => ID, { nullable: true, description: 'Give exactly one of sessionId and communityId.' })
  sessionId?: string | null;

  @Field(() => ID, { nullable: true })
  communityId?: string | null;

  @Field({ description: 'Asked before and after, rated 1 to 5 (e.g. "How confident do you feel planning community engagement?").' })
  @MinLength(1)
  @MaxLength(500)
  question: string;

  @Field(() => ResultsVisibility, {
    defaultValue: ResultsVisibility.LIVE,
    description: 'Of both polls, and so of the change: AFTER_CLOSE withholds them until the polls close (live figures move one answer at a time).',
  })
  resultsVisibility: ResultsVisibility;
}

@Resolver(() => ConfidencePair)
export class ConfidencePairResolver {
  @Query(() => ConfidencePair, { nullable: true, description: 'Null when there is no such pair or it is outside what the caller may read.' })
  confidencePair(@Arg('id', () => ID) id: string, @Ctx() ctx: FeedbackContext): Promise<ConfidencePair | null> {
    if (!isRecordId(id, 'cfp')) throw badField('id', 'is not a confidence pair ID');
    return ctx.loaders.confidencePair.load(id);
  }

  @FieldResolver(() => Poll, { nullable: true, description: 'The CONFIDENCE poll asked before; answer it with submitResponse.' })
  before(@Root() pair: ConfidencePair, @Ctx() ctx: FeedbackContext): Promise<Poll | null> {
    return ctx.loaders.poll.load(pair.beforePollId);
  }

  @FieldResolver(() => Poll, { nullable: true, description: 'The CONFIDENCE poll asked after; answer it with submitResponse.' })
  after(@Root() pair: ConfidencePair, @Ctx() ctx: FeedbackContext): Promise<Poll | null> {
    return ctx.loaders.poll.load(pair.afterPollId);
  }

  @FieldResolver(() => SessionRef, { nullable: true, description: 'The session asked, unless the pair belongs to a community.' })
  session(@Root() pair: ConfidencePair): SessionRef | null {
    return pair.sessionId ? refTo(SessionRef, pair.sessionId) : null;
  }

  @FieldResolver(() => CommunityRef, { nullable: true, description: 'The community asked, unless the pair belongs to a session.' })
  community(@Root() pair: ConfidencePair): CommunityRef | null {
    return pair.communityId ? refTo(CommunityRef, pair.communityId) : null;
  }

  @FieldResolver(() => ProgramRef, { nullable: true })
  program(@Root() pair: ConfidencePair): ProgramRef {
    return refTo(ProgramRef, pair.programId);
  }

  @FieldResolver(() => OrganisationRef, { nullable: true, description: 'The organisation running the pair.' })
  organisation(@Root() pair: ConfidencePair): OrganisationRef {
    return refTo(OrganisationRef, pair.organisationId);
  }

  @Directive(REQUIRES_GROUP_SIZE)
  @FieldResolver(() => Int, { description: 'The change is shown only over at least this many pairs: the program\'s minimum group size (default 5), never below 3.' })
  minimumGroupSize(@Root() pair: ConfidencePair): number {
    return groupSizeOf(pair.requiredProgram);
  }

  @Directive(REQUIRES_GROUP_SIZE)
  @FieldResolver(() => ConfidenceChange, {
    nullable: true,
    description:
      'Computed only over the people who answered both polls (paired by their anonymous code). Null when fewer than the minimum group size did, ' +
      'while an AFTER_CLOSE pair has not closed, or when 1 to k-1 answers of a poll did not pair up and that poll\'s own results show its mean ' +
      '(the difference would give their ratings).',
  })
  async change(@Root() pair: ConfidencePair, @Ctx() ctx: FeedbackContext): Promise<ConfidenceChange | null> {
    const [figures, before, after, beforeCells, afterCells] = await Promise.all([
      ctx.loaders.pairedAnswers.load(pair.id),
      ctx.loaders.poll.load(pair.beforePollId),
      ctx.loaders.poll.load(pair.afterPollId),
      ctx.loaders.responseCells.load(pair.beforePollId),
      ctx.loaders.responseCells.load(pair.afterPollId),
    ]);
    if (!before || !after) return null;
    return buildChange(figures, { before, after }, { before: beforeCells, after: afterCells }, groupSizeOf(pair.requiredProgram));
  }

  @Mutation(() => ConfidencePair, {
    description:
      'Asks a confidence question before and after: two linked CONFIDENCE polls rated 1 to 5, answered with submitResponse. Each answer carries an ' +
      'anonymous pairing code so the change can be measured without identifying anyone. By the organisation\'s administrators, in a program the ' +
      'organisation delivers or manages and in one of its own sessions or communities.',
  })
  createConfidencePair(@Arg('input') input: CreateConfidencePairInput, @Ctx() ctx: FeedbackContext): Promise<ConfidencePair> {
    assertManage(ctx.scope, input.organisationId, 'input.organisationId');
    const question = input.question.trim();
    if (!question) throw badField('input.question', 'must not be blank');
    checkTarget(input);
    checkPlacement(ctx, input);
    return inTransaction(ctx.db, async (m) => {
      const poll = () =>
        m.create(Poll, {
          id: newId(input.organisationId, 'pol'),
          organisationId: input.organisationId,
          programId: input.programId,
          sessionId: input.sessionId ?? null,
          communityId: input.communityId ?? null,
          kind: PollKind.CONFIDENCE,
          question,
          answerType: PollAnswerType.RATING,
          options: null,
          status: PollStatus.OPEN,
          opensAt: null,
          closesAt: null,
          resultsVisibility: input.resultsVisibility ?? ResultsVisibility.LIVE,
        });
      const [before, after] = await m.save(Poll, [poll(), poll()]);
      return m.save(
        ConfidencePair,
        m.create(ConfidencePair, {
          id: newId(input.organisationId, 'cfp'),
          organisationId: input.organisationId,
          programId: input.programId,
          sessionId: input.sessionId ?? null,
          communityId: input.communityId ?? null,
          question,
          beforePollId: before.id,
          afterPollId: after.id,
        }),
      );
    });
  }
}

/** Poll's side of a pair. */
@Resolver(() => Poll)
export class PollPairResolver {
  @FieldResolver(() => ConfidencePair, { nullable: true, description: 'The confidence pair this poll is the before or after poll of; null otherwise.' })
  confidencePair(@Root() poll: Poll, @Ctx() ctx: FeedbackContext): Promise<ConfidencePair | null> {
    return ctx.loaders.pairOfPoll.load(poll.id);
  }

  @FieldResolver(() => ConfidencePhase, { nullable: true, description: 'BEFORE or AFTER for a confidence pair\'s poll; null otherwise.' })
  async confidencePhase(@Root() poll: Poll, @Ctx() ctx: FeedbackContext): Promise<ConfidencePhase | null> {
    const pair = await ctx.loaders.pairOfPoll.load(poll.id);
    if (!pair) return null;
    return pair.beforePollId === poll.id ? ConfidencePhase.BEFORE : ConfidencePhase.AFTER;
  }
}

async function pairsOf(id: string, page: PageArgs, pages: FeedbackContext['loaders']['pairsOfSession']): Promise<ConfidencePairConnection> {
  return new ConfidencePairConnection(await pages.load({ id, filter: null, first: page.first, after: page.after ?? null }));
}

@Resolver(() => SessionRef)
export class SessionPairsResolver {
  @FieldResolver(() => ConfidencePairConnection, { nullable: true, description: 'Confidence questions asked before and after in this session, newest first.' })
  confidencePairs(@Root() session: SessionRef, @Args() page: PageArgs, @Ctx() ctx: FeedbackContext): Promise<ConfidencePairConnection> {
    return pairsOf(session.id, page, ctx.loaders.pairsOfSession);
  }
}

@Resolver(() => CommunityRef)
export class CommunityPairsResolver {
  @FieldResolver(() => ConfidencePairConnection, { nullable: true, description: 'Confidence questions asked before and after in this community (outside its sessions), newest first.' })
  confidencePairs(@Root() community: CommunityRef, @Args() page: PageArgs, @Ctx() ctx: FeedbackContext): Promise<ConfidencePairConnection> {
    return pairsOf(community.id, page, ctx.loaders.pairsOfCommunity);
  }
}
