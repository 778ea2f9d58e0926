import { PageArgs } from '@hub/core';
import { Arg, Args, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { SessionsContext } from './context';
import { compact } from './criteria';
import { FacilitatorRef } from './facilitator-ref';
import { SessionStatus } from './session.entity';
import { SessionConnection, SessionPeriodFilter } from './session.resolver';
import { checkPeriod } from './session-query';

/** Sessions a facilitator is rostered on. Cancelled sessions were not facilitated: left out unless a status is asked for. */
@Resolver(() => FacilitatorRef)
export class FacilitatorRefResolver {
  @FieldResolver(() => SessionConnection, { nullable: true, description: 'Sessions this facilitator facilitates, by start time; CANCELLED ones only when filtered by that status.' })
  async sessionsFacilitated(
    @Root() facilitator: FacilitatorRef,
    @Args() page: PageArgs,
    @Ctx() ctx: SessionsContext,
    @Arg('filter', () => SessionPeriodFilter, { nullable: true }) filter?: SessionPeriodFilter,
  ): Promise<SessionConnection> {
    checkPeriod(filter ?? {}, 'filter.');
    const criteria = compact({ ...filter, excludeCancelled: true });
    const key = { id: facilitator.id, filter: criteria, first: page.first, after: page.after ?? null };
    return new SessionConnection(await ctx.loaders.sessionsOfFacilitator.load(key));
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Sessions starting in [from, to) this facilitator facilitates; CANCELLED ones only when asked for by status.' })
  sessionsFacilitatedCount(
    @Root() facilitator: FacilitatorRef,
    @Ctx() ctx: SessionsContext,
    @Arg('from', () => Date, { nullable: true }) from?: Date,
    @Arg('to', () => Date, { nullable: true }) to?: Date,
    @Arg('status', () => SessionStatus, { nullable: true }) status?: SessionStatus,
  ): Promise<number> {
    checkPeriod({ from, to });
    return ctx.loaders.sessionCountOfFacilitator.load({ id: facilitator.id, filter: compact({ from, to, status, excludeCancelled: true }) });
  }
}
