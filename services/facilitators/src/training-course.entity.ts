import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@ObjectType({ description: 'A course in a program\'s training catalogue.' })
@Entity('training_course')
export class TrainingCourse {
  @Field(() => ID, { description: '`<organisation>.trc_<ulid>`, the organisation that added it to the catalogue.' })
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'program_id' })
  programId: string;

  /** The organisation that added the course (national manager or a partner). */
  @Column('text', { name: 'organisation_id' })
  organisationId: string;

  @Field()
  @Column('text')
  name: string;

  @Field()
  @Column('text')
  description: string;

  @Field(() => Int, { nullable: true, description: 'How long a completion stays current, 1 to 120 months; null: it never expires.' })
  @Column('integer', { name: 'valid_for_months', nullable: true })
  validForMonths: number | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
