import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@ObjectType({ description: 'A tier of a program\'s community structure, e.g. strategic leadership, state-wide practitioner, regional.' })
export class ProgramTier {
  @Field({ description: 'Stable key used by communities, e.g. `regional`.' })
  key: string;

  @Field()
  name: string;

  @Field(() => Int, { description: '1 is the top tier; items escalate towards lower numbers.' })
  level: number;
}

@ObjectType({ description: 'A period the program reports on, e.g. a financial year or a half.' })
export class ReportingPeriod {
  @Field()
  name: string;

  @Field({ description: 'First day, YYYY-MM-DD.' })
  startsOn: string;

  @Field({ description: 'Last day, YYYY-MM-DD.' })
  endsOn: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A program run by a managing organisation through delivery partners (e.g. MyTime).' })
@Entity('program')
export class Program {
  @Field(() => ID)
  @PrimaryColumn('text')
  id: string;

  @Field()
  @Column('text')
  name: string;

  @Field()
  @Column('text')
  description: string;

  @Column('text', { name: 'managing_organisation_id' })
  managingOrganisationId: string;

  @Field(() => Int, { description: 'Feedback from fewer people than this is never shown. Default 5, never below 3.' })
  @Column('integer', { name: 'minimum_group_size' })
  minimumGroupSize: number;

  @Field(() => [ProgramTier])
  @Column('jsonb')
  tiers: ProgramTier[];

  @Field(() => [ReportingPeriod])
  @Column('jsonb', { name: 'reporting_periods' })
  reportingPeriods: ReportingPeriod[];

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
