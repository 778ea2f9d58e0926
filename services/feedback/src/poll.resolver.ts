import { assertManage, badField, badUserInput, conflict, connectionOf, forbidden, inTransaction, isRecordId, mayRead, newId, notFound, ORGANISATION_KEY, ownerOf, PageArgs, paginate, refTo, withinWall } from '@hub/core';
import { ArrayMaxSize, ArrayMinSize, IsOptional, Matches, MaxLength, MinLength } from 'class-validator';
import { Arg, Args, Ctx, Directive, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { FeedbackContext } from './context';
import { groupSizeOf, REQUIRES_GROUP_SIZE } from './group-size';
import { POLL_ORDER } from './poll-order';
import { buildResults } from './poll-results';
import { PollRatingScale, PollResults } from './poll-results.type';
import { publishClose } from './poll-events';
import { resultsWithheld } from './poll-state';
import { Poll, PollAnswerType, PollKind, PollStatus, RATING_MAX, RATING_MIN, ResultsVisibility } from './poll.entity';
import { CommunityRef, OrganisationRef, ProgramRef, SessionRef } from './refs';

@ObjectType()
export class PollConnection extends connectionOf(Poll, 'Poll') {}

@InputType()
export class PollFilter {
  @Field(() => ID, { nullable: true })
  sessionId?: string;

  @Field(() => ID, { nullable: true })
  communityId?: string;

  @Field(() => ID, { nullable: true })
  organisationId?: string;

  @Field(() => ID, { nullable: true })
  programId?: string;

  @Field(() => PollKind, { nullable: true })
  kind?: PollKind;

  @Field(() => PollStatus, { nullable: true })
  status?: PollStatus;
}

@InputType()
export class CreatePollInput {
  @Field(() => ID, { description: 'The organisation running the poll; its key prefixes the poll\'s ID.' })
  @Matches(ORGANISATION_KEY, { message: 'must be an organisation key' })
  organisationId: string;

  @Field(() => ID)
  programId: string;

  @Field(() => ID, { nullable: true, description: 'Give exactly one of sessionId and communityId.' })
  sessionId?: string | null;

  @Field(() => ID, { nullable: true })
  communityId?: string | null;

  @Field(() => PollKind)
  kind: PollKind;

  @Field()
  @MinLength(1)
  @MaxLength(500)
  question: string;

  @Field(() => PollAnswerType)
  answerType: PollAnswerType;

  @Field(() => [String], { nullable: true, description: '2 to 20 distinct labels; required for CHOICE polls, refused for others.' })
  @IsOptional()
  @ArrayMinSize(2)
  @ArrayMaxSize(20)
  @MaxLength(200, { each: true })
  options?: string[] | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  opensAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  closesAt?: Date | null;

  @Field(() => ResultsVisibility, {
    defaultValue: ResultsVisibility.LIVE,
    description: 'LIVE: results (above the minimum group size) while the poll is open; AFTER_CLOSE: only once it has closed.',
  })
  resultsVisibility: ResultsVisibility;
}

/** Kinds whose answers are always a rating, so they can be compared across polls. */
const RATED_KINDS = new Set([PollKind.CONFIDENCE, PollKind.OUTCOME]);

/** Where a poll (or a pair of them) is asked: the fields checkTarget and checkPlacement read. */
export type PollPlacement = Pick<CreatePollInput, 'organisationId' | 'programId' | 'sessionId' | 'communityId'>;

export function checkTarget(input: PollPlacement): void {
  if (Boolean(input.sessionId) === Boolean(input.communityId)) {
    const message = 'give exactly one of sessionId and communityId';
    throw badUserInput(`Invalid input: ${message}`, [
      { field: 'input.sessionId', message },
      { field: 'input.communityId', message },
    ]);
  }
  if (input.sessionId && !isRecordId(input.sessionId, 'ses')) throw badField('input.sessionId', 'is not a session ID');
  if (input.communityId && !isRecordId(input.communityId, 'com')) throw badField('input.communityId', 'is not a community ID');
  if (!isRecordId(input.programId, 'prg')) throw badField('input.programId', 'is not a program ID');
}

/** The options to store: trimmed labels for CHOICE polls, none otherwise. */
function checkedOptions(input: CreatePollInput): string[] | null {
  if (RATED_KINDS.has(input.kind) && input.answerType !== PollAnswerType.RATING) {
    throw badField('input.answerType', `must be RATING for a ${input.kind} poll`);
  }
  if (input.answerType !== PollAnswerType.CHOICE) {
    if (input.options != null) throw badField('input.options', `must be left out for a ${input.answerType} poll`);
    return null;
  }
  if (input.options == null) throw badField('input.options', 'are required for a CHOICE poll');
  const labels = input.options.map((o) => o.trim());
  if (labels.some((l) => l.length === 0)) throw badField('input.options', 'must not be blank');
  if (new Set(labels.map((l) => l.toLowerCase())).size !== labels.length) throw badField('input.options', 'must be different from each other');
  return labels;
}

/**
 * What a poll hangs on must be the caller's to use: the program one the caller's organisation
 * delivers or manages (the program sets the poll's minimum group size), and the session or
 * community one of the poll's own organisation. FORBIDDEN naming the field otherwise.
 */
export function checkPlacement(ctx: FeedbackContext, input: PollPlacement): void {
  if (ctx.scope.role === 'system') return;
  if (!ctx.scope.programs.includes(input.programId)) {
    throw forbidden(`Polls may be asked only in programs your organisation delivers or manages`, 'input.programId');
  }
  const [field, target] = input.sessionId ? (['input.sessionId', input.sessionId] as const) : (['input.communityId', input.communityId ?? ''] as const);
  if (ownerOf(target) !== input.organisationId) {
    throw forbidden(`A poll of ${input.organisationId} may be asked only in its own sessions and communities`, field);
  }
}

function checkWindow(input: CreatePollInput): void {
  const { opensAt, closesAt } = input;
  if (!closesAt) return;
  if (opensAt && closesAt.getTime() <= opensAt.getTime()) throw badField('input.closesAt', 'is not after opensAt');
  if (closesAt.getTime() <= Date.now()) throw badField('input.closesAt', 'is in the past');
}

function checkFilter(filter: PollFilter | undefined): void {
  if (filter?.sessionId && !isRecordId(filter.sessionId, 'ses')) throw badField('filter.sessionId', 'is not a session ID');
  if (filter?.communityId && !isRecordId(filter.communityId, 'com')) throw badField('filter.communityId', 'is not a community ID');
  if (filter?.programId && !isRecordId(filter.programId, 'prg')) throw badField('filter.programId', 'is not a program ID');
  if (filter?.organisationId && !ORGANISATION_KEY.test(filter.organisationId)) throw badField('filter.organisationId', 'is not an organisation key');
}

@Resolver(() => Poll)
export class PollResolver {
  @Query(() => Poll, { nullable: true, description: 'Null when there is no such poll or it is outside what the caller may read.' })
  poll(@Arg('id', () => ID) id: string, @Ctx() ctx: FeedbackContext): Promise<Poll | null> {
    if (!isRecordId(id, 'pol')) throw badField('id', 'is not a poll ID');
    return ctx.loaders.poll.load(id);
  }

  @Query(() => PollConnection, { description: 'Polls, newest first.' })
  async polls(
    @Args() page: PageArgs,
    @Ctx() ctx: FeedbackContext,
    @Arg('filter', () => PollFilter, { nullable: true }) filter?: PollFilter,
  ): Promise<PollConnection> {
    checkFilter(filter);
    const qb = withinWall(ctx.db.getRepository(Poll).createQueryBuilder('poll'), ctx.scope, 'poll.organisation_id');
    for (const key of ['sessionId', 'communityId', 'organisationId', 'programId', 'kind', 'status'] as const) {
      const value = filter?.[key];
      if (value) qb.andWhere(`poll.${key} = :${key}`, { [key]: value });
    }
    return new PollConnection(await paginate(qb, page, POLL_ORDER));
  }

  @FieldResolver(() => [String], { description: 'The labels to choose from (CHOICE polls; empty otherwise). A choice answer is an index into this list.' })
  options(@Root() poll: Poll): string[] {
    return poll.options ?? [];
  }

  @FieldResolver(() => PollRatingScale, { nullable: true, description: 'Always 1 to 5 for RATING polls; null otherwise.' })
  ratingScale(@Root() poll: Poll): PollRatingScale | null {
    return poll.answerType === PollAnswerType.RATING ? Object.assign(new PollRatingScale(), { min: RATING_MIN, max: RATING_MAX }) : null;
  }

  @FieldResolver(() => SessionRef, { nullable: true, description: 'The session asked, unless the poll belongs to a community.' })
  session(@Root() poll: Poll): SessionRef | null {
    return poll.sessionId ? refTo(SessionRef, poll.sessionId) : null;
  }

  @FieldResolver(() => CommunityRef, { nullable: true, description: 'The community asked, unless the poll belongs to a session.' })
  community(@Root() poll: Poll): CommunityRef | null {
    return poll.communityId ? refTo(CommunityRef, poll.communityId) : null;
  }

  @FieldResolver(() => ProgramRef, { nullable: true })
  program(@Root() poll: Poll): ProgramRef {
    return refTo(ProgramRef, poll.programId);
  }

  @FieldResolver(() => OrganisationRef, { nullable: true, description: 'The organisation running the poll.' })
  organisation(@Root() poll: Poll): OrganisationRef {
    return refTo(OrganisationRef, poll.organisationId);
  }

  @Directive(REQUIRES_GROUP_SIZE)
  @FieldResolver(() => Int, { description: 'Results from fewer respondents than this are never shown: the program\'s minimum group size (default 5), never below 3.' })
  minimumGroupSize(@Root() poll: Poll): number {
    return groupSizeOf(poll.requiredProgram);
  }

  @Directive(REQUIRES_GROUP_SIZE)
  @FieldResolver(() => PollResults, {
    description:
      'Suppressed (suppressed: true, no counts, no text) below the minimum group size, and for everyone, the organisation\'s admins included, ' +
      'while an AFTER_CLOSE poll has not closed yet.',
  })
  async results(@Root() poll: Poll, @Ctx() ctx: FeedbackContext): Promise<PollResults> {
    // withheld: built from no answers at all, so nothing about them (not even their number) shows
    if (resultsWithheld(poll)) return buildResults(poll, [], groupSizeOf(poll.requiredProgram));
    return buildResults(poll, await ctx.loaders.responseCells.load(poll.id), groupSizeOf(poll.requiredProgram));
  }

  @Mutation(() => Poll, {
    description:
      'By the organisation\'s administrators, in a program the organisation delivers or manages and in one of its own sessions or communities. ' +
      'Results obey the program\'s minimum group size.',
  })
  createPoll(@Arg('input') input: CreatePollInput, @Ctx() ctx: FeedbackContext): Promise<Poll> {
    assertManage(ctx.scope, input.organisationId, 'input.organisationId');
    const question = input.question.trim();
    if (!question) throw badField('input.question', 'must not be blank');
    checkTarget(input);
    checkPlacement(ctx, input);
    const options = checkedOptions(input);
    checkWindow(input);
    return inTransaction(ctx.db, (m) =>
      m.save(
        Poll,
        m.create(Poll, {
          id: newId(input.organisationId, 'pol'),
          organisationId: input.organisationId,
          programId: input.programId,
          sessionId: input.sessionId ?? null,
          communityId: input.communityId ?? null,
          kind: input.kind,
          question,
          answerType: input.answerType,
          options,
          status: PollStatus.OPEN,
          opensAt: input.opensAt ?? null,
          closesAt: input.closesAt ?? null,
          resultsVisibility: input.resultsVisibility ?? ResultsVisibility.LIVE,
        }),
      ),
    );
  }

  @Mutation(() => Poll, { description: 'Stops taking answers. Results stay (and an AFTER_CLOSE poll\'s are shown from now on). By the organisation\'s administrators.' })
  closePoll(@Arg('id', () => ID) id: string, @Ctx() ctx: FeedbackContext): Promise<Poll> {
    if (!isRecordId(id, 'pol')) throw badField('id', 'is not a poll ID');
    return inTransaction(ctx.db, async (m) => {
      const poll = await m.findOne(Poll, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!poll || !mayRead(ctx.scope, poll.organisationId)) throw notFound('Poll', id);
      assertManage(ctx.scope, poll.organisationId, 'id');
      if (poll.status === PollStatus.CLOSED) throw conflict('The poll is already closed', [{ field: 'id', message: 'is already closed' }]);
      poll.status = PollStatus.CLOSED;
      const closed = await m.save(Poll, poll);
      await publishClose(m, closed);
      return closed;
    });
  }
}
