import { mayRead, ownerOf, PageArgs, type AccessScope } from '@hub/core';
import { Arg, Args, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { SessionsContext } from './context';
import { compact } from './criteria';
import { FacilitatorRef } from './facilitator-ref';
import { SessionStatus } from './session.entity';
import { SessionConnection, SessionPeriodFilter } from './session.resolver';
import { checkPeriod } from './session-query';

/**
 * A facilitator record is read within the caller's wall, and never by participants (docs/access.md):
 * for anyone else it is as if absent, and so are its sessions (null).
 */
function seesFacilitator(scope: AccessScope, facilitatorId: string): boolean {
  if (scope.role === 'system') return true;
  if (scope.role === 'participant') return false;
  const owner = ownerOf(facilitatorId);
  return owner !== null && mayRead(scope, owner);
}

/**
 * Sessions a facilitator is rostered on, those within the caller's wall. Cancelled sessions were not
 * facilitated: left out unless a status is asked for.
 */
@Resolver(() => FacilitatorRef)
export class FacilitatorRefResolver {
  @FieldResolver(() => SessionConnection, { nullable: true, description: 'Sessions this facilitator facilitates, by start time; CANCELLED ones only when filtered by that status.' })
  async sessionsFacilitated(
    @Root() facilitator: FacilitatorRef,
    @Args() page: PageArgs,
    @Ctx() ctx: SessionsContext,
    @Arg('filter', () => SessionPeriodFilter, { nullable: true }) filter?: SessionPeriodFilter,
  ): Promise<SessionConnection | null> {
    checkPeriod(filter ?? {}, 'filter.');
    if (!seesFacilitator(ctx.scope, facilitator.id)) return null;
    const criteria = compact({ ...filter, excludeCancelled: true });
    const key = { id: facilitator.id, filter: criteria, first: page.first, after: page.after ?? null };
    return new SessionConnection(await ctx.loaders.sessionsOfFacilitator.load(key));
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Sessions starting in [from, to) this facilitator facilitates; CANCELLED ones only when asked for by status.' })
  async sessionsFacilitatedCount(
    @Root() facilitator: FacilitatorRef,
    @Ctx() ctx: SessionsContext,
    @Arg('from', () => Date, { nullable: true }) from?: Date,
    @Arg('to', () => Date, { nullable: true }) to?: Date,
    @Arg('status', () => SessionStatus, { nullable: true }) status?: SessionStatus,
  ): Promise<number | null> {
    checkPeriod({ from, to });
    if (!seesFacilitator(ctx.scope, facilitator.id)) return null;
    return ctx.loaders.sessionCountOfFacilitator.load({ id: facilitator.id, filter: compact({ from, to, status, excludeCancelled: true }) });
  }
}
