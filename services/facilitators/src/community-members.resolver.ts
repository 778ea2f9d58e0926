import { connectionOf, PageArgs } from '@hub/core';
import { Arg, Args, Ctx, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { CommunityMembership } from './community-membership.entity';
import { emptyPage } from './access-rules';
import type { FacilitatorsContext } from './context';
import { CommunityRef } from './refs';

@ObjectType()
export class CommunityMembershipConnection extends connectionOf(CommunityMembership, 'CommunityMembership') {}

/**
 * A community's facilitator members. Every field is batched across communities. Members come from
 * many organisations: only those within the caller's wall are listed and counted (a participant
 * sees no member listed, though it may count them).
 */
@Resolver(() => CommunityRef)
export class CommunityMembersResolver {
  @FieldResolver(() => CommunityMembershipConnection, { nullable: true, description: 'Memberships in the order joined.' })
  async members(
    @Root() community: CommunityRef,
    @Args() page: PageArgs,
    @Ctx() ctx: FacilitatorsContext,
    @Arg('includeLeft', { defaultValue: false, description: 'Also memberships that have ended.' }) includeLeft: boolean,
  ): Promise<CommunityMembershipConnection> {
    if (ctx.scope.role === 'participant') return new CommunityMembershipConnection(emptyPage());
    const key = { id: community.id, filter: { includeLeft }, first: page.first, after: page.after ?? null };
    return new CommunityMembershipConnection(await ctx.loaders.memberPage.load(key));
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Active members within the caller\'s wall.' })
  memberCount(@Root() community: CommunityRef, @Ctx() ctx: FacilitatorsContext): Promise<number> {
    return ctx.loaders.memberCount.load({ id: community.id, filter: { includeLeft: false } });
  }
}
