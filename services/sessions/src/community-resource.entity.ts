import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A resource (a guide, a template, a link) shared with a community; owned by the sharer's organisation. */
@ObjectType({ description: 'A resource shared with a community: planning templates, guides, formats, tools.' })
@Entity('community_resource')
export class CommunityResource {
  @Field(() => ID, { description: '`<organisation>.res_<ulid>`: the prefix is the organisation that shared it.' })
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'community_id' })
  communityId: string;

  /** The community's organisation, kept true by a foreign key: the community is the shared space that reads it. */
  @Column('text', { name: 'community_organisation_id' })
  communityOrganisationId: string;

  @Column('text', { name: 'program_id' })
  programId: string;

  /** The organisation that shared it. */
  @Column('text', { name: 'organisation_id' })
  organisationId: string;

  @Field()
  @Column('text')
  title: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  url: string | null;

  @Field()
  @Column('text')
  description: string;

  @Field(() => [String])
  @Column('text', { array: true })
  tags: string[];

  @Field({ description: 'Who shared it: the subject of the sharer\'s token.' })
  @Column('text', { name: 'shared_by' })
  sharedBy: string;

  @Field()
  @Column('timestamptz', { name: 'shared_at' })
  sharedAt: Date;
}
