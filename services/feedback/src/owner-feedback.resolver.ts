import { badField, isRecordId, ORGANISATION_KEY } from '@hub/core';
import { Arg, Ctx, Directive, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import type { FeedbackContext } from './context';
import { DEFAULT_MINIMUM_GROUP_SIZE, groupSizeOf } from './group-size';
import { buildOutcomeSummaries, OutcomeSummary } from './cop-measures';
import { PollKind } from './poll.entity';
import { OrganisationRef, ProgramRef } from './refs';
import { responseDays } from './response-window';

const REACHED = 'Answers to polls that reached the minimum group size in the period';
const COUNTED =
  'A poll counts only when at least that many answered it within the period and filter asked for, and then with all of those answers; ' +
  'a poll with fewer contributes nothing, so no difference between two such counts is a small poll\'s count.';
const WINDOW = 'The period is counted by the UTC day of each answer: the days whose midnight falls in [from, to).';

@Resolver(() => OrganisationRef)
export class OrganisationFeedbackResolver {
  @FieldResolver(() => Int, {
    nullable: true,
    description:
      `${REACHED} (polls the organisation ran). ${COUNTED} ${WINDOW} The minimum group size is always the default ${DEFAULT_MINIMUM_GROUP_SIZE}, ` +
      'programId given or not: no representation of an organisation carries a program\'s own, so a program\'s larger minimum group size is not applied here ' +
      '(Program.feedbackResponseCount applies it).',
  })
  feedbackResponseCount(
    @Root() org: OrganisationRef,
    @Ctx() ctx: FeedbackContext,
    @Arg('from', () => Date, { nullable: true }) from?: Date,
    @Arg('to', () => Date, { nullable: true }) to?: Date,
    @Arg('programId', () => ID, { nullable: true }) programId?: string,
  ): Promise<number> {
    if (programId && !isRecordId(programId, 'prg')) throw badField('programId', 'is not a program ID');
    return ctx.loaders.reachedResponseCountByOrganisation.load({
      id: org.id,
      filter: { ...responseDays(from, to), programId: programId ?? null },
      minimumGroupSize: DEFAULT_MINIMUM_GROUP_SIZE,
    });
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Polls the organisation ran.' })
  pollCount(@Root() org: OrganisationRef, @Ctx() ctx: FeedbackContext, @Arg('kind', () => PollKind, { nullable: true }) kind?: PollKind): Promise<number> {
    return ctx.loaders.pollCountByOrganisation.load({ id: org.id, filter: { kind: kind ?? null } });
  }
}

@Resolver(() => ProgramRef)
export class ProgramFeedbackResolver {
  @Directive('@requires(fields: "minimumGroupSize")')
  @FieldResolver(() => Int, {
    nullable: true,
    description:
      `${REACHED} (the program's polls, optionally only those one organisation ran), by the program's minimum group size ` +
      `(default ${DEFAULT_MINIMUM_GROUP_SIZE}, never below 3). ${COUNTED} ${WINDOW}`,
  })
  feedbackResponseCount(
    @Root() program: ProgramRef,
    @Ctx() ctx: FeedbackContext,
    @Arg('from', () => Date, { nullable: true }) from?: Date,
    @Arg('to', () => Date, { nullable: true }) to?: Date,
    @Arg('organisationId', () => ID, { nullable: true }) organisationId?: string,
    @Arg('programId', () => ID, { nullable: true, description: 'Accepted for symmetry with Organisation.feedbackResponseCount: naming another program gives 0.' })
    programId?: string,
  ): Promise<number> {
    if (organisationId && !ORGANISATION_KEY.test(organisationId)) throw badField('organisationId', 'is not an organisation key');
    if (programId && !isRecordId(programId, 'prg')) throw badField('programId', 'is not a program ID');
    return ctx.loaders.reachedResponseCountByProgram.load({
      id: program.id,
      filter: { ...responseDays(from, to), organisationId: organisationId ?? null, programId: programId ?? null },
      minimumGroupSize: groupSizeOf(program),
    });
  }

  @Directive('@requires(fields: "minimumGroupSize")')
  @FieldResolver(() => [OutcomeSummary], {
    nullable: true,
    description:
      'Outcome ratings (OUTCOME polls, 1 to 5) per organisation that ran them in the program (within what the caller may read), by the program\'s ' +
      'minimum group size: each organisation\'s mean over its polls whose own results show their mean.',
  })
  async outcomeSummary(@Root() program: ProgramRef, @Ctx() ctx: FeedbackContext): Promise<OutcomeSummary[]> {
    const polls = await ctx.loaders.outcomePollsOfProgram.load(program.id);
    const cells = await Promise.all(polls.map((p) => ctx.loaders.responseCells.load(p.id)));
    return buildOutcomeSummaries(polls, cells, groupSizeOf(program));
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Polls asked in the program.' })
  pollCount(@Root() program: ProgramRef, @Ctx() ctx: FeedbackContext, @Arg('kind', () => PollKind, { nullable: true }) kind?: PollKind): Promise<number> {
    return ctx.loaders.pollCountByProgram.load({ id: program.id, filter: { kind: kind ?? null } });
  }
}
