import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export enum CommunityKind {
  GROUP = 'GROUP',
  COMMUNITY_OF_PRACTICE = 'COMMUNITY_OF_PRACTICE',
  FORUM = 'FORUM',
}
registerEnumType(CommunityKind, {
  name: 'CommunityKind',
  description: 'A peer-support group, a community of practice, or a tiered forum.',
});

export enum MeetingMode {
  ONLINE = 'ONLINE',
  IN_PERSON = 'IN_PERSON',
  HYBRID = 'HYBRID',
}
registerEnumType(MeetingMode, { name: 'MeetingMode', description: 'How people meet: online, in person, or both at once.' });

export enum MaturityStage {
  POTENTIAL = 'POTENTIAL',
  COALESCING = 'COALESCING',
  MATURING = 'MATURING',
  STEWARDSHIP = 'STEWARDSHIP',
  TRANSFORMATION = 'TRANSFORMATION',
}
registerEnumType(MaturityStage, { name: 'MaturityStage', description: 'Stages of development of a community of practice.' });

export const DEFAULT_FORMAT_PHASES = ['Share', 'Discuss', 'Apply'];

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A group, community of practice or forum of a program, owned by one organisation (the national manager for national CoPs).' })
@Entity('community')
export class Community {
  @Field(() => ID, { description: '`<organisation>.com_<ulid>`: the prefix is the owning organisation.' })
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'organisation_id' })
  organisationId: string;

  @Column('text', { name: 'program_id' })
  programId: string;

  @Field(() => CommunityKind)
  @Column('text')
  kind: CommunityKind;

  @Field(() => String, { nullable: true, description: 'Key of one of the program\'s tiers, e.g. `regional`.' })
  @Column('text', { nullable: true })
  tier: string | null;

  @Field(() => Int, { nullable: true, description: 'The level of the community\'s tier in its program (1 = top, e.g. strategic leadership), as set by its organisation: a forum item is escalated to a forum one level up.' })
  @Column('integer', { name: 'tier_level', nullable: true })
  tierLevel: number | null;

  @Field()
  @Column('text')
  name: string;

  /** The name in lower case, compared byte by byte: what lists sort by (migration 1767000000000); written by PostgreSQL. */
  @Column({ type: 'text', name: 'name_key', insert: false, update: false })
  readonly nameKey: string;

  @Field()
  @Column('text')
  purpose: string;

  @Field({ description: 'What the community covers and what it leaves out, as its members agreed.' })
  @Column('text', { default: '' })
  scope: string;

  @Field({ description: 'What members expect of the community and of each other (e.g. attendance, sharing the facilitation).' })
  @Column('text', { default: '' })
  expectations: string;

  @Field({ description: 'The latest version of its terms of reference; `documents(kind: TERMS_OF_REFERENCE)` gives every version.' })
  @Column('text', { name: 'terms_of_reference' })
  termsOfReference: string;

  @Field({ description: 'The latest version of its code of practice; `documents(kind: CODE_OF_PRACTICE)` gives every version.' })
  @Column('text', { name: 'code_of_practice' })
  codeOfPractice: string;

  @Field(() => String, { nullable: true, description: 'How often it meets, e.g. `quarterly`, `fortnightly`.' })
  @Column('text', { nullable: true })
  cadence: string | null;

  @Field(() => MeetingMode)
  @Column('text')
  mode: MeetingMode;

  @Column('text', { name: 'region_id', nullable: true })
  regionId: string | null;

  @Field(() => MaturityStage)
  @Column('text', { name: 'maturity_stage' })
  maturityStage: MaturityStage;

  @Field(() => [String], { description: 'The phases a session of this community runs through, in order; copied to each new session.' })
  @Column('text', { name: 'format_phases', array: true })
  formatPhases: string[];

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
