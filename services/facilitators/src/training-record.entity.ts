import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { todayUtc } from './dates';

export enum AccreditationLevel {
  FOUNDATION = 'FOUNDATION',
  PRACTITIONER = 'PRACTITIONER',
  ADVANCED = 'ADVANCED',
  TRAINER = 'TRAINER',
}
registerEnumType(AccreditationLevel, { name: 'AccreditationLevel' });

@ObjectType({ description: 'A facilitator\'s completion of a training course.' })
@Entity('training_record')
export class TrainingRecord {
  @Field(() => ID, { description: '`<facilitator\'s organisation>.trr_<ulid>`.' })
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'organisation_id' })
  organisationId: string;

  @Column('text', { name: 'facilitator_id' })
  facilitatorId: string;

  @Field(() => ID, { description: 'The course completed, even where `course` is out of reach.' })
  @Column('text', { name: 'course_id' })
  courseId: string;

  @Field({ description: 'YYYY-MM-DD.' })
  @Column('date', { name: 'completed_on' })
  completedOn: string;

  @Field(() => AccreditationLevel)
  @Column('text', { name: 'accreditation_level' })
  accreditationLevel: AccreditationLevel;

  @Field(() => String, { nullable: true, description: 'First day the accreditation is no longer current, YYYY-MM-DD; null: never.' })
  @Column('date', { name: 'expires_on', nullable: true })
  expiresOn: string | null;

  @Field(() => Boolean, { description: 'Whether expiresOn has been reached (UTC today).' })
  get expired(): boolean {
    return this.expiresOn !== null && this.expiresOn <= todayUtc();
  }

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
