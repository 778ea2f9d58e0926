import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export enum RsvpResponse {
  GOING = 'GOING',
  MAYBE = 'MAYBE',
  NOT_GOING = 'NOT_GOING',
}
registerEnumType(RsvpResponse, { name: 'RsvpResponse' });

@ObjectType({ description: 'Someone\'s answer to "are you coming?". Kept apart from attendance (who actually came).' })
@Entity('rsvp')
export class Rsvp {
  @Field(() => ID)
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'session_id' })
  sessionId: string;

  @Column('text', { name: 'organisation_id' })
  organisationId: string;

  @Field({ description: 'An opaque pseudonymous reference to the participant, never a name.' })
  @Column('text', { name: 'participant_ref' })
  participantRef: string;

  @Field(() => RsvpResponse)
  @Column('text')
  response: RsvpResponse;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field({ description: 'When the response was last given or changed.' })
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@ObjectType({ description: 'How many people answered each way.' })
export class RsvpCounts {
  @Field(() => Int)
  going: number;

  @Field(() => Int)
  maybe: number;

  @Field(() => Int)
  notGoing: number;
}
