import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What a session's participants learned, recorded by its facilitators or its organisation's admins. */
@ObjectType({ description: 'A learning recorded at a session, for the community to keep and find again.' })
@Entity('session_learning')
export class SessionLearning {
  @Field(() => ID, { description: '`<organisation>.lrn_<ulid>`: the prefix is the session\'s organisation.' })
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'session_id' })
  sessionId: string;

  @Column('text', { name: 'organisation_id' })
  organisationId: string;

  @Field()
  @Column('text')
  text: string;

  @Field(() => [String], { description: 'Words to find it by, e.g. `fatigue`, `partnering`.' })
  @Column('text', { array: true })
  tags: string[];

  @Field({ description: 'Who recorded it: the subject of the recorder\'s token.' })
  @Column('text', { name: 'recorded_by' })
  recordedBy: string;

  @Field()
  @Column('timestamptz', { name: 'recorded_at' })
  recordedAt: Date;
}
