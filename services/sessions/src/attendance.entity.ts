import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export enum AttendeeKind {
  PARTICIPANT = 'PARTICIPANT',
  FACILITATOR = 'FACILITATOR',
}
registerEnumType(AttendeeKind, { name: 'AttendeeKind' });

@ObjectType({ description: 'One identified person who actually came to a session.' })
@Entity('attendance')
export class Attendance {
  @Field(() => ID)
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'session_id' })
  sessionId: string;

  @Column('text', { name: 'organisation_id' })
  organisationId: string;

  @Field({ description: 'An opaque pseudonymous reference to the attendee, never a name.' })
  @Column('text', { name: 'attendee_ref' })
  attendeeRef: string;

  @Field(() => AttendeeKind)
  @Column('text')
  kind: AttendeeKind;

  @Field()
  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}
