import { badField, conflict, connectionOf, forbidden, heldElsewhereOne, inTransaction, isRecordId, mayManage, mayRead, newId, notFound, PageArgs, refTo, type AccessScope } from '@hub/core';
import { IsOptional, MaxLength, MinLength } from 'class-validator';
import { Arg, Args, Ctx, Field, FieldResolver, Float, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import { Community, CommunityKind } from './community.entity';
import type { SessionsContext } from './context';
import { compact } from './criteria';
import { ForumItem, ForumItemEvent, ForumItemEventKind, ForumItemStatus } from './forum-item.entity';
import { seesForumItem } from './forum-query';
import { ProgramRef } from './program-ref';

@ObjectType()
export class ForumItemConnection extends connectionOf(ForumItem, 'ForumItem') {}

@ObjectType({ description: 'Forum items of one tier of a program.' })
export class ForumTierSummary {
  @Field(() => String, { nullable: true, description: 'The tier key.' })
  tier: string | null;

  @Field(() => Int, { nullable: true, description: 'The tier\'s level (1 = top), from its forums.' })
  tierLevel: number | null;

  @Field(() => Int, { description: 'Items OPEN or ESCALATED in a forum of this tier now.' })
  openItems: number;

  @Field(() => Int, { description: 'Times an item reaching a forum of this tier (raised or escalated there) was answered there.' })
  responses: number;

  @Field(() => Float, { nullable: true, description: 'Average days from an item reaching a forum of this tier to that forum\'s first response; null before any response.' })
  averageDaysToResponse: number | null;
}

@InputType()
export class ForumItemFilter {
  @Field(() => ForumItemStatus, { nullable: true })
  status?: ForumItemStatus;

  @Field({ nullable: true, description: 'The tier key of the forum the item is in now.' })
  tier?: string;
}

@InputType()
export class RaiseForumItemInput {
  @Field(() => ID, { description: 'A community of kind FORUM.' })
  forumId: string;

  @Field()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @Field({ defaultValue: '' })
  @MaxLength(10000)
  description: string;
}

@InputType()
export class EscalateForumItemInput {
  @Field(() => ID)
  itemId: string;

  @Field(() => ID, { description: 'A forum of the same program one tier up (tierLevel one less than the current forum\'s).' })
  toForumId: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(10000)
  note?: string | null;
}

@InputType()
export class RespondToForumItemInput {
  @Field(() => ID)
  itemId: string;

  @Field()
  @MinLength(1)
  @MaxLength(10000)
  response: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(2000)
  decision?: string | null;
}

@InputType()
export class ReturnForumItemInput {
  @Field(() => ID)
  itemId: string;

  @Field(() => ID, {
    nullable: true,
    description: 'A forum lower down the item\'s path; by default the forum it was last escalated from into its current forum.',
  })
  toForumId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(10000)
  note?: string | null;
}

@InputType()
export class CloseForumItemInput {
  @Field(() => ID)
  itemId: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(10000)
  note?: string | null;
}

/** Acting in a forum: its organisation's administrators, or a facilitator who can read it. FORBIDDEN naming `field` otherwise. */
function assertActsIn(scope: AccessScope, forum: Community, field: string): void {
  if (mayManage(scope, forum.organisationId)) return;
  if (scope.role === 'facilitator' && mayRead(scope, forum.organisationId)) return;
  throw forbidden(`Only ${forum.organisationId}'s administrators and facilitators may act in this forum`, field);
}

/** Who raised an item or took a step is shown to the person, to administrators of the organisations involved, and to the system. */
function seesActor(scope: AccessScope, item: { organisationId: string; forumOrganisationId: string }, actor: string): boolean {
  return scope.subject === actor || mayManage(scope, item.organisationId) || mayManage(scope, item.forumOrganisationId);
}

/**
 * A community as this deployment holds it or, when another deployment holds it (a forum of an
 * organisation on a partner node, or at the hub seen from a node), as the gateway vouched for it.
 */
async function communityFor(m: EntityManager, scope: AccessScope, id: string): Promise<Community | null> {
  const here = await m.findOneBy(Community, { id });
  if (here) return here;
  const facts = heldElsewhereOne(scope, 'communities', id);
  return facts && Object.assign(new Community(), { ...facts, kind: facts.kind as CommunityKind });
}

async function forumFor(m: EntityManager, scope: AccessScope, id: string, field: string): Promise<Community> {
  if (!isRecordId(id, 'com')) throw badField(field, 'is not a community ID');
  const forum = await communityFor(m, scope, id);
  if (!forum || !mayRead(scope, forum.organisationId)) throw notFound('Community', id, field);
  if (forum.kind !== CommunityKind.FORUM) throw badField(field, 'is not a forum (a community of kind FORUM)');
  return forum;
}

async function itemForUpdate(m: EntityManager, scope: AccessScope, id: string, field: string): Promise<{ item: ForumItem; forum: Community }> {
  if (!isRecordId(id, 'fit')) throw badField(field, 'is not a forum item ID');
  const item = await m.findOne(ForumItem, { where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!item || !seesForumItem(scope, item)) throw notFound('ForumItem', id, field);
  if (item.status === ForumItemStatus.CLOSED) throw conflict('The item is CLOSED', [{ field, message: 'item is CLOSED' }]);
  const forum = await communityFor(m, scope, item.forumId);
  if (!forum) throw notFound('Community', item.forumId, field);
  assertActsIn(scope, forum, field);
  return { item, forum };
}

/** Records a step in the item's history: before the item changes, since who may take it is decided by where the item is before (row-level security too). */
async function record(
  m: EntityManager,
  scope: AccessScope,
  item: ForumItem,
  step: { kind: ForumItemEventKind; forum: Community; fromForumId?: string | null; text?: string | null; decision?: string | null },
): Promise<void> {
  await m.insert(ForumItemEvent, {
    id: newId(item.organisationId, 'fie'),
    itemId: item.id,
    organisationId: item.organisationId,
    forumOrganisationId: step.forum.organisationId,
    kind: step.kind,
    forumId: step.forum.id,
    fromForumId: step.fromForumId ?? null,
    tier: step.forum.tier,
    text: step.text ?? null,
    decision: step.decision ?? null,
    actor: scope.subject,
  });
}

/** Moves the item into `forum` (its tier, its owner). */
function moveTo(item: ForumItem, forum: Community): void {
  item.forumId = forum.id;
  item.forumOrganisationId = forum.organisationId;
  item.tier = forum.tier;
  item.tierLevel = forum.tierLevel;
}

/** The forums an item has been in, in the order it reached them. */
async function pathOf(ctx: SessionsContext, item: ForumItem): Promise<string[]> {
  const steps = await ctx.loaders.historyOfForumItem.load(item.id);
  return steps.filter((e) => [ForumItemEventKind.RAISED, ForumItemEventKind.ESCALATED, ForumItemEventKind.RETURNED].includes(e.kind)).map((e) => e.forumId);
}

/**
 * The three-tier loop (issue 6 item 3): items raised in a forum, escalated one tier up at a time,
 * answered, and returned down; every step is kept in the item's history. The subgraph does not read
 * the program's tiers: each forum carries its tier's level (`Community.tierLevel`, 1 = top), set by
 * its organisation, and escalation goes to a forum of the same program whose level is one less.
 */
@Resolver(() => ForumItem)
export class ForumItemResolver {
  @Query(() => ForumItem, { nullable: true })
  forumItem(@Arg('id', () => ID) id: string, @Ctx() ctx: SessionsContext): Promise<ForumItem | null> {
    return ctx.loaders.forumItem.load(id);
  }

  @FieldResolver(() => Community, { nullable: true, description: 'The forum it is in now.' })
  forum(@Root() item: ForumItem, @Ctx() ctx: SessionsContext): Promise<Community | null> {
    return ctx.loaders.community.load(item.forumId);
  }

  @FieldResolver(() => ID, { description: 'The ID of the forum it is in now (which may be kept by another organisation\'s deployment).' })
  forumId(@Root() item: ForumItem): string {
    return item.forumId;
  }

  @FieldResolver(() => ID, { description: 'The ID of the forum it was raised in.' })
  raisedInId(@Root() item: ForumItem): string {
    return item.raisedInForumId;
  }

  @FieldResolver(() => Community, { nullable: true, description: 'The forum it was raised in.' })
  raisedIn(@Root() item: ForumItem, @Ctx() ctx: SessionsContext): Promise<Community | null> {
    return ctx.loaders.community.load(item.raisedInForumId);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'The level of the tier it is in now (1 = top).' })
  tierLevel(@Root() item: ForumItem): number | null {
    return item.tierLevel;
  }

  @FieldResolver(() => ProgramRef, { nullable: true })
  program(@Root() item: ForumItem): ProgramRef {
    return refTo(ProgramRef, item.programId);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Who raised it (the token subject): for that person and the administrators of the organisations involved; otherwise null.' })
  raisedBy(@Root() item: ForumItem, @Ctx() ctx: SessionsContext): string | null {
    return seesActor(ctx.scope, item, item.raisedBy) ? item.raisedBy : null;
  }

  @FieldResolver(() => [ForumItemEvent], { description: 'Every step, oldest first: raised, escalated (from → to), responded, returned, closed.' })
  history(@Root() item: ForumItem, @Ctx() ctx: SessionsContext): Promise<ForumItemEvent[]> {
    return ctx.loaders.historyOfForumItem.load(item.id);
  }

  @FieldResolver(() => [Community], {
    nullable: 'items',
    description: 'The forums it has been in, in the order it reached them (a forum again when it came back).',
  })
  async path(@Root() item: ForumItem, @Ctx() ctx: SessionsContext): Promise<(Community | null)[]> {
    return Promise.all((await pathOf(ctx, item)).map((id) => ctx.loaders.community.load(id)));
  }

  @FieldResolver(() => [ID], { description: 'The IDs of the forums of `path`, in the same order.' })
  pathIds(@Root() item: ForumItem, @Ctx() ctx: SessionsContext): Promise<string[]> {
    return pathOf(ctx, item);
  }

  @Mutation(() => ForumItem, { description: 'Raises an item in a forum. For the forum organisation\'s administrators and facilitators who can read the forum.' })
  raiseForumItem(@Arg('input') input: RaiseForumItemInput, @Ctx() ctx: SessionsContext): Promise<ForumItem> {
    const { scope } = ctx;
    return inTransaction(ctx.db, async (m) => {
      const forum = await forumFor(m, scope, input.forumId, 'input.forumId');
      assertActsIn(scope, forum, 'input.forumId');
      const now = new Date();
      const item = m.create(ForumItem, {
        id: newId(forum.organisationId, 'fit'),
        organisationId: forum.organisationId,
        programId: forum.programId,
        raisedInForumId: forum.id,
        title: input.title,
        description: input.description,
        raisedBy: scope.subject,
        status: ForumItemStatus.OPEN,
        raisedAt: now,
        updatedAt: now,
      });
      moveTo(item, forum);
      await m.insert(ForumItem, item);
      await record(m, scope, item, { kind: ForumItemEventKind.RAISED, forum });
      return item;
    });
  }

  @Mutation(() => ForumItem, {
    description: 'Escalates an item to a forum of the same program one tier up. For those who may act in the forum it is in now.',
  })
  escalateForumItem(@Arg('input') input: EscalateForumItemInput, @Ctx() ctx: SessionsContext): Promise<ForumItem> {
    const { scope } = ctx;
    return inTransaction(ctx.db, async (m) => {
      const { item, forum } = await itemForUpdate(m, scope, input.itemId, 'input.itemId');
      const to = await forumFor(m, scope, input.toForumId, 'input.toForumId');
      if (to.programId !== item.programId) throw badField('input.toForumId', 'is a forum of another program');
      if (forum.tierLevel === null) throw badField('input.itemId', 'is in a forum without a tier level, so it has no tier above');
      if (to.tierLevel !== forum.tierLevel - 1) {
        throw badField('input.toForumId', `must be a forum one tier up (tier level ${forum.tierLevel - 1}); it is at ${to.tierLevel ?? 'no'} tier level`);
      }
      moveTo(item, to);
      item.status = ForumItemStatus.ESCALATED;
      item.updatedAt = new Date();
      await record(m, scope, item, { kind: ForumItemEventKind.ESCALATED, forum: to, fromForumId: forum.id, text: input.note });
      await m.save(ForumItem, item);
      return item;
    });
  }

  @Mutation(() => ForumItem, { description: 'Answers an item in the forum it is in now, with a decision if one was taken. For those who may act in that forum.' })
  respondToForumItem(@Arg('input') input: RespondToForumItemInput, @Ctx() ctx: SessionsContext): Promise<ForumItem> {
    return inTransaction(ctx.db, async (m) => {
      const { item, forum } = await itemForUpdate(m, ctx.scope, input.itemId, 'input.itemId');
      item.status = ForumItemStatus.RESPONDED;
      item.updatedAt = new Date();
      await record(m, ctx.scope, item, { kind: ForumItemEventKind.RESPONDED, forum, text: input.response, decision: input.decision });
      await m.save(ForumItem, item);
      return item;
    });
  }

  @Mutation(() => ForumItem, {
    description:
      'Sends an item back down its path (by default to the forum it was escalated from), with its responses. Status becomes RESPONDED when it has been answered, else OPEN. For those who may act in the forum it is in now.',
  })
  returnForumItem(@Arg('input') input: ReturnForumItemInput, @Ctx() ctx: SessionsContext): Promise<ForumItem> {
    const { scope } = ctx;
    return inTransaction(ctx.db, async (m) => {
      const { item, forum } = await itemForUpdate(m, scope, input.itemId, 'input.itemId');
      const history = await m.find(ForumItemEvent, { where: { itemId: item.id }, order: { at: 'ASC', id: 'ASC' } });
      let toId: string | null | undefined;
      if (input.toForumId) {
        const onPath = history.some((e) => e.forumId === input.toForumId && e.kind !== ForumItemEventKind.RESPONDED && e.kind !== ForumItemEventKind.CLOSED);
        if (!onPath) throw badField('input.toForumId', 'is not a forum on the item\'s path');
        toId = input.toForumId;
      } else {
        toId = [...history].reverse().find((e) => e.kind === ForumItemEventKind.ESCALATED && e.forumId === forum.id)?.fromForumId;
        if (!toId) throw badField('input.itemId', 'is in the forum it was raised in: there is nowhere to return it to');
      }
      const to = await forumFor(m, scope, toId, input.toForumId ? 'input.toForumId' : 'input.itemId');
      if (to.id === forum.id || (to.tierLevel ?? 0) <= (forum.tierLevel ?? 0)) throw badField('input.toForumId', 'must be a forum lower down than the one the item is in');
      moveTo(item, to);
      item.status = history.some((e) => e.kind === ForumItemEventKind.RESPONDED) ? ForumItemStatus.RESPONDED : ForumItemStatus.OPEN;
      item.updatedAt = new Date();
      await record(m, scope, item, { kind: ForumItemEventKind.RETURNED, forum: to, fromForumId: forum.id, text: input.note });
      await m.save(ForumItem, item);
      return item;
    });
  }

  @Mutation(() => ForumItem, { description: 'Closes an item. For those who may act in the forum it is in now.' })
  closeForumItem(@Arg('input') input: CloseForumItemInput, @Ctx() ctx: SessionsContext): Promise<ForumItem> {
    return inTransaction(ctx.db, async (m) => {
      const { item, forum } = await itemForUpdate(m, ctx.scope, input.itemId, 'input.itemId');
      item.status = ForumItemStatus.CLOSED;
      item.updatedAt = new Date();
      await record(m, ctx.scope, item, { kind: ForumItemEventKind.CLOSED, forum, text: input.note });
      await m.save(ForumItem, item);
      return item;
    });
  }
}

@Resolver(() => ForumItemEvent)
export class ForumItemEventResolver {
  @FieldResolver(() => Community, { nullable: true, description: 'Where the item is after this step; for a response, the forum that answered.' })
  forum(@Root() event: ForumItemEvent, @Ctx() ctx: SessionsContext): Promise<Community | null> {
    return ctx.loaders.community.load(event.forumId);
  }

  @FieldResolver(() => ID, { description: 'The ID of `forum`.' })
  forumId(@Root() event: ForumItemEvent): string {
    return event.forumId;
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The ID of `fromForum`.' })
  fromForumId(@Root() event: ForumItemEvent): string | null {
    return event.fromForumId;
  }

  @FieldResolver(() => Community, { nullable: true, description: 'Where an escalated or returned item came from.' })
  fromForum(@Root() event: ForumItemEvent, @Ctx() ctx: SessionsContext): Promise<Community | null> {
    return event.fromForumId ? ctx.loaders.community.load(event.fromForumId) : Promise.resolve(null);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Who took the step: for that person and the administrators of the organisations involved; otherwise null.' })
  actor(@Root() event: ForumItemEvent, @Ctx() ctx: SessionsContext): string | null {
    return seesActor(ctx.scope, event, event.actor) ? event.actor : null;
  }
}

@Resolver(() => Community)
export class CommunityForumResolver {
  @FieldResolver(() => ForumItemConnection, { nullable: true, description: 'Items in this forum now, newest first.' })
  async forumItems(
    @Root() community: Community,
    @Args() page: PageArgs,
    @Ctx() ctx: SessionsContext,
    @Arg('filter', () => ForumItemFilter, { nullable: true }) filter?: ForumItemFilter,
  ): Promise<ForumItemConnection> {
    const key = { id: community.id, filter: compact({ ...filter }), first: page.first, after: page.after ?? null };
    return new ForumItemConnection(await ctx.loaders.forumItemsOfForum.load(key));
  }
}

@Resolver(() => ProgramRef)
export class ProgramForumResolver {
  @FieldResolver(() => ForumItemConnection, { nullable: true, description: 'Forum items of the program, newest first; `tier` is the tier they are in now.' })
  async forumItems(
    @Root() program: ProgramRef,
    @Args() page: PageArgs,
    @Ctx() ctx: SessionsContext,
    @Arg('filter', () => ForumItemFilter, { nullable: true }) filter?: ForumItemFilter,
  ): Promise<ForumItemConnection> {
    const key = { id: program.id, filter: compact({ ...filter }), first: page.first, after: page.after ?? null };
    return new ForumItemConnection(await ctx.loaders.forumItemsOfProgram.load(key));
  }

  @FieldResolver(() => [ForumTierSummary], { nullable: true, description: 'Per tier, top first: open items and the average time to a response.' })
  async forumSummary(@Root() program: ProgramRef, @Ctx() ctx: SessionsContext): Promise<ForumTierSummary[]> {
    const rows = await ctx.loaders.forumSummary.load({ id: program.id, filter: null });
    return rows.map((r) => Object.assign(new ForumTierSummary(), { ...r, responses: r.respondedArrivals }));
  }
}
