import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export enum CommunityRole {
  MEMBER = 'MEMBER',
  CO_FACILITATOR = 'CO_FACILITATOR',
  LEAD = 'LEAD',
}
registerEnumType(CommunityRole, { name: 'CommunityRole' });

@ObjectType({ description: 'A facilitator\'s membership of a community; active until leftOn is set.' })
@Entity('community_membership')
export class CommunityMembership {
  @Field(() => ID, { description: '`<facilitator\'s organisation>.mem_<ulid>`.' })
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'organisation_id' })
  organisationId: string;

  @Column('text', { name: 'facilitator_id' })
  facilitatorId: string;

  /** A Community of the sessions subgraph, `<organisation>.com_<ulid>`. */
  @Column('text', { name: 'community_id' })
  communityId: string;

  @Field(() => CommunityRole)
  @Column('text')
  role: CommunityRole;

  @Field({ description: 'YYYY-MM-DD.' })
  @Column('date', { name: 'joined_on' })
  joinedOn: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; null while a member.' })
  @Column('date', { name: 'left_on', nullable: true })
  leftOn: string | null;

  @Field({ description: 'Whether the facilitator agreed to keep what is shared in the community confidential.' })
  @Column('boolean', { name: 'confidentiality_agreed' })
  confidentialityAgreed: boolean;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
