import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { AccreditationLevel } from './training-record.entity';

/** The rules a community's members are held to. */
export enum MembershipRule {
  TRAINING = 'TRAINING',
  REGION = 'REGION',
  CONFIDENTIALITY = 'CONFIDENTIALITY',
}
registerEnumType(MembershipRule, {
  name: 'MembershipRule',
  description:
    'A membership rule checked here: required training, region, confidentiality. The facilitation share is not checked by this subgraph (see CommunityMembershipRules.facilitatesOneIn).',
});

@ObjectType({ description: 'A course a member must have completed, at a minimum accreditation level, and current (not expired) on the day checked.' })
export class RequiredTraining {
  @Field(() => ID, { description: 'A course of the program\'s training catalogue.' })
  courseId: string;

  @Field(() => AccreditationLevel, { description: 'The lowest level accepted (FOUNDATION < PRACTITIONER < ADVANCED < TRAINER).' })
  minimumLevel: AccreditationLevel;
}

@ObjectType({
  description:
    'What a community asks of its members. Checked by joinCommunity (a facilitator who breaks a rule is refused, with the reasons) and reported for current members in Community.ruleBreaches. Owned by the community\'s organisation.',
})
@Entity('community_membership_rules')
export class CommunityMembershipRules {
  /** A Community of the sessions subgraph, `<organisation>.com_<ulid>`: one rule set per community. */
  @PrimaryColumn('text', { name: 'community_id' })
  communityId: string;

  /** The community's organisation (its ID's owner): only its administrators change the rules. */
  @Column('text', { name: 'organisation_id' })
  organisationId: string;

  @Field(() => [RequiredTraining], { description: 'Every course here is required (all of them, not one of them).' })
  @Column('jsonb', { name: 'required_training' })
  requiredTraining: RequiredTraining[];

  /**
   * Regions are a hierarchy kept by the partners subgraph, which this subgraph cannot read: the
   * rule stores the explicit list of accepted region IDs (a region and the regions inside it).
   */
  @Column('text', { name: 'accepted_region_ids', array: true })
  acceptedRegionIds: string[];

  @Field({ description: 'Whether a member must have agreed to keep what is shared in the community confidential.' })
  @Column('boolean', { name: 'confidentiality_required' })
  confidentialityRequired: boolean;

  @Field(() => Int, {
    nullable: true,
    description:
      'Each member facilitates at least one in this many of the community\'s sessions; null: no expectation. Facilitation is recorded by the sessions subgraph: compare Community.facilitationShare (share) with minimumFacilitationShare to find who does less.',
  })
  @Column('integer', { name: 'facilitates_one_in', nullable: true })
  facilitatesOneIn: number | null;

  @Field(() => Float, { nullable: true, description: '1 / facilitatesOneIn: the lowest FacilitationShare.share a member is expected to reach; null: no expectation.' })
  get minimumFacilitationShare(): number | null {
    return this.facilitatesOneIn ? 1 / this.facilitatesOneIn : null;
  }

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
