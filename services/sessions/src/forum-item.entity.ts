import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum ForumItemStatus {
  OPEN = 'OPEN',
  ESCALATED = 'ESCALATED',
  RESPONDED = 'RESPONDED',
  CLOSED = 'CLOSED',
}
registerEnumType(ForumItemStatus, {
  name: 'ForumItemStatus',
  description: 'OPEN in the forum it was raised in; ESCALATED to a higher tier and awaiting an answer there; RESPONDED (and possibly returned down); CLOSED.',
});

export enum ForumItemEventKind {
  RAISED = 'RAISED',
  ESCALATED = 'ESCALATED',
  RESPONDED = 'RESPONDED',
  RETURNED = 'RETURNED',
  CLOSED = 'CLOSED',
}
registerEnumType(ForumItemEventKind, { name: 'ForumItemEventKind' });

/**
 * An item raised in a tiered forum (a community of kind FORUM) and carried up and down the
 * program's tiers. Owned by the organisation of the forum it was raised in (its ID prefix);
 * `forumOrganisationId` is the owner of the forum it is in now.
 */
@ObjectType({ description: 'An item raised in a forum, escalated up the program\'s tiers and answered back down; its history keeps every step.' })
@Entity('forum_item')
export class ForumItem {
  @Field(() => ID, { description: '`<organisation>.fit_<ulid>`: the prefix is the organisation of the forum it was raised in.' })
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'organisation_id' })
  organisationId: string;

  @Column('text', { name: 'program_id' })
  programId: string;

  @Column('text', { name: 'raised_in_forum_id' })
  raisedInForumId: string;

  /** The forum it is in now. */
  @Column('text', { name: 'forum_id' })
  forumId: string;

  @Column('text', { name: 'forum_organisation_id' })
  forumOrganisationId: string;

  @Field(() => String, { nullable: true, description: 'The tier key of the forum it is in now.' })
  @Column('text', { nullable: true })
  tier: string | null;

  @Column('integer', { name: 'tier_level', nullable: true })
  tierLevel: number | null;

  @Field()
  @Column('text')
  title: string;

  @Field()
  @Column('text')
  description: string;

  @Column('text', { name: 'raised_by' })
  raisedBy: string;

  @Field(() => ForumItemStatus)
  @Column('text')
  status: ForumItemStatus;

  @Field()
  @Column('timestamptz', { name: 'raised_at' })
  raisedAt: Date;

  @Field()
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}

/** One step of a forum item's history; never changed or deleted. */
@ObjectType({ description: 'One step of a forum item\'s history.' })
@Entity('forum_item_event')
export class ForumItemEvent {
  @Field(() => ID)
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'item_id' })
  itemId: string;

  @Column('text', { name: 'organisation_id' })
  organisationId: string;

  @Column('text', { name: 'forum_organisation_id' })
  forumOrganisationId: string;

  @Field(() => ForumItemEventKind)
  @Column('text')
  kind: ForumItemEventKind;

  /** The forum the item is in after this step (for a response: the forum that answered). */
  @Column('text', { name: 'forum_id' })
  forumId: string;

  @Column('text', { name: 'from_forum_id', nullable: true })
  fromForumId: string | null;

  @Field(() => String, { nullable: true, description: 'The tier key of `forum`.' })
  @Column('text', { nullable: true })
  tier: string | null;

  @Field(() => String, { nullable: true, description: 'The response, or a note on an escalation, return or closing.' })
  @Column('text', { nullable: true })
  text: string | null;

  @Field(() => String, { nullable: true, description: 'A decision taken with a response.' })
  @Column('text', { nullable: true })
  decision: string | null;

  @Column('text')
  actor: string;

  @Field()
  @Column('timestamptz')
  at: Date;
}
