import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { MeetingMode } from './community.entity';

export enum SessionStatus {
  SCHEDULED = 'SCHEDULED',
  LIVE = 'LIVE',
  ENDED = 'ENDED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(SessionStatus, {
  name: 'SessionStatus',
  description: 'SCHEDULED → LIVE → ENDED; SCHEDULED → ENDED when recorded after the fact; SCHEDULED → CANCELLED.',
});

@Directive('@key(fields: "id")')
@ObjectType({ description: 'One meeting of a community.' })
@Entity('session')
export class Session {
  @Field(() => ID, { description: '`<organisation>.ses_<ulid>`: the prefix is the community\'s organisation.' })
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'community_id' })
  communityId: string;

  /** Copied from the community so that organisation and program counts need no join. */
  @Column('text', { name: 'organisation_id' })
  organisationId: string;

  @Column('text', { name: 'program_id' })
  programId: string;

  @Field()
  @Column('text')
  topic: string;

  @Field()
  @Column('timestamptz', { name: 'starts_at' })
  startsAt: Date;

  @Field()
  @Column('timestamptz', { name: 'ends_at' })
  endsAt: Date;

  @Field(() => MeetingMode)
  @Column('text')
  mode: MeetingMode;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  location: string | null;

  @Field(() => SessionStatus)
  @Column('text')
  status: SessionStatus;

  @Field(() => [String])
  @Column('text', { name: 'format_phases', array: true })
  formatPhases: string[];

  @Field(() => String, { nullable: true, description: 'The phase the session is in; only while LIVE.' })
  @Column('text', { name: 'current_phase', nullable: true })
  currentPhase: string | null;

  @Field(() => Int, { description: 'People who attended but are not recorded by reference.' })
  @Column('integer', { name: 'unidentified_attendees' })
  unidentifiedAttendees: number;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
