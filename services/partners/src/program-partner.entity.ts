import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * An organisation's part in a program, with its sharing agreement: what the national manager may
 * see beyond aggregates. Changeable by the organisation itself.
 */
@ObjectType('SharingAgreement', { description: 'What a delivery partner lets the program\'s national manager see beyond aggregates.' })
@Entity('program_partner')
export class ProgramPartner {
  @PrimaryColumn('text', { name: 'program_id' })
  programId: string;

  @PrimaryColumn('text', { name: 'organisation_id' })
  organisationId: string;

  @Field({ description: 'Day the organisation joined the program, YYYY-MM-DD.' })
  @Column('date', { name: 'joined_on' })
  joinedOn: string;

  @Field({ description: 'Facilitators\' names and contact details.' })
  @Column('boolean', { name: 'share_facilitator_contacts' })
  shareFacilitatorContacts: boolean;

  @Field({ description: 'Session topics, locations and identified attendance.' })
  @Column('boolean', { name: 'share_session_details' })
  shareSessionDetails: boolean;

  @Field({ description: 'Planned community engagements, beyond the fact of an overlap.' })
  @Column('boolean', { name: 'share_engagement_plans' })
  shareEngagementPlans: boolean;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
