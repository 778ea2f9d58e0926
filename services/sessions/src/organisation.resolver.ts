import { PageArgs } from '@hub/core';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import { CommunityKind } from './community.entity';
import { CommunityConnection, CommunityFilter } from './community.resolver';
import type { SessionsContext } from './context';
import { compact } from './criteria';
import { OrganisationRef } from './organisation-ref';
import { SessionStatus } from './session.entity';
import { checkPeriod } from './session-query';

/** An organisation's communities and activity; every count is one GROUP BY for all organisations asked about. */
@Resolver(() => OrganisationRef)
export class OrganisationRefResolver {
  @FieldResolver(() => CommunityConnection, { nullable: true, description: 'Communities the organisation owns, by name.' })
  async communities(
    @Root() org: OrganisationRef,
    @Args() page: PageArgs,
    @Ctx() ctx: SessionsContext,
    @Arg('filter', () => CommunityFilter, { nullable: true }) filter?: CommunityFilter,
  ): Promise<CommunityConnection> {
    const key = { id: org.id, filter: compact({ ...filter }), first: page.first, after: page.after ?? null };
    return new CommunityConnection(await ctx.loaders.communitiesOfOrganisation.load(key));
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Communities the organisation owns.' })
  communityCount(
    @Root() org: OrganisationRef,
    @Ctx() ctx: SessionsContext,
    @Arg('kind', () => CommunityKind, { nullable: true }) kind?: CommunityKind,
    @Arg('programId', () => ID, { nullable: true }) programId?: string,
  ): Promise<number> {
    return ctx.loaders.communityCountOfOrganisation.load({ id: org.id, filter: compact({ kind, programId }) });
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Sessions of the organisation\'s communities starting in [from, to).' })
  sessionCount(
    @Root() org: OrganisationRef,
    @Ctx() ctx: SessionsContext,
    @Arg('from', () => Date, { nullable: true }) from?: Date,
    @Arg('to', () => Date, { nullable: true }) to?: Date,
    @Arg('status', () => SessionStatus, { nullable: true }) status?: SessionStatus,
    @Arg('programId', () => ID, { nullable: true }) programId?: string,
  ): Promise<number> {
    checkPeriod({ from, to });
    return ctx.loaders.sessionCountOfOrganisation.load({ id: org.id, filter: compact({ from, to, status, programId }) });
  }

  @FieldResolver(() => Int, { nullable: true, description: 'People at the organisation\'s sessions starting in [from, to), identified or not.' })
  attendanceCount(
    @Root() org: OrganisationRef,
    @Ctx() ctx: SessionsContext,
    @Arg('from', () => Date, { nullable: true }) from?: Date,
    @Arg('to', () => Date, { nullable: true }) to?: Date,
    @Arg('programId', () => ID, { nullable: true }) programId?: string,
  ): Promise<number> {
    checkPeriod({ from, to });
    return ctx.loaders.attendanceOfOrganisation.load({ id: org.id, filter: compact({ from, to, programId }) });
  }
}
