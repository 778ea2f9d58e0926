import { badField, isRecordId, ORGANISATION_KEY } from '@hub/core';
import { Arg, Ctx, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import type { FeedbackContext } from './context';
import { PollKind } from './poll.entity';
import { OrganisationRef, ProgramRef } from './refs';
import { responseDays } from './response-window';

const WINDOW = 'Counted by the UTC day of each answer: the days whose midnight falls in [from, to).';

@Resolver(() => OrganisationRef)
export class OrganisationFeedbackResolver {
  @FieldResolver(() => Int, { nullable: true, description: `Answers to the polls the organisation ran. ${WINDOW}` })
  feedbackResponseCount(
    @Root() org: OrganisationRef,
    @Ctx() ctx: FeedbackContext,
    @Arg('from', () => Date, { nullable: true }) from?: Date,
    @Arg('to', () => Date, { nullable: true }) to?: Date,
    @Arg('programId', () => ID, { nullable: true }) programId?: string,
  ): Promise<number> {
    if (programId && !isRecordId(programId, 'prg')) throw badField('programId', 'is not a program ID');
    return ctx.loaders.responseCountByOrganisation.load({ id: org.id, filter: { ...responseDays(from, to), programId: programId ?? null } });
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Polls the organisation ran.' })
  pollCount(@Root() org: OrganisationRef, @Ctx() ctx: FeedbackContext, @Arg('kind', () => PollKind, { nullable: true }) kind?: PollKind): Promise<number> {
    return ctx.loaders.pollCountByOrganisation.load({ id: org.id, filter: { kind: kind ?? null } });
  }
}

@Resolver(() => ProgramRef)
export class ProgramFeedbackResolver {
  @FieldResolver(() => Int, { nullable: true, description: `Answers to the program's polls, optionally only those one organisation ran. ${WINDOW}` })
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
    return ctx.loaders.responseCountByProgram.load({
      id: program.id,
      filter: { ...responseDays(from, to), organisationId: organisationId ?? null, programId: programId ?? null },
    });
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Polls asked in the program.' })
  pollCount(@Root() program: ProgramRef, @Ctx() ctx: FeedbackContext, @Arg('kind', () => PollKind, { nullable: true }) kind?: PollKind): Promise<number> {
    return ctx.loaders.pollCountByProgram.load({ id: program.id, filter: { kind: kind ?? null } });
  }
}
