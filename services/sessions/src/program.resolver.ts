import { PageArgs } from '@hub/core';
import { Arg, Args, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { CommunityConnection, CommunityFilter } from './community.resolver';
import type { SessionsContext } from './context';
import { compact } from './criteria';
import { ProgramRef } from './program-ref';
import { SessionStatus } from './session.entity';
import { checkPeriod } from './session-query';

@Resolver(() => ProgramRef)
export class ProgramRefResolver {
  @FieldResolver(() => CommunityConnection, { nullable: true, description: 'The program\'s communities across all organisations, by name.' })
  async communities(
    @Root() program: ProgramRef,
    @Args() page: PageArgs,
    @Ctx() ctx: SessionsContext,
    @Arg('filter', () => CommunityFilter, { nullable: true }) filter?: CommunityFilter,
  ): Promise<CommunityConnection> {
    const key = { id: program.id, filter: compact({ ...filter }), first: page.first, after: page.after ?? null };
    return new CommunityConnection(await ctx.loaders.communitiesOfProgram.load(key));
  }

  @FieldResolver(() => Int, { nullable: true, description: 'The program\'s sessions starting in [from, to).' })
  sessionCount(
    @Root() program: ProgramRef,
    @Ctx() ctx: SessionsContext,
    @Arg('from', () => Date, { nullable: true }) from?: Date,
    @Arg('to', () => Date, { nullable: true }) to?: Date,
    @Arg('status', () => SessionStatus, { nullable: true }) status?: SessionStatus,
  ): Promise<number> {
    checkPeriod({ from, to });
    return ctx.loaders.sessionCountOfProgram.load({ id: program.id, filter: compact({ from, to, status }) });
  }
}
