import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export enum ConfidencePhase {
  BEFORE = 'BEFORE',
  AFTER = 'AFTER',
}
registerEnumType(ConfidencePhase, { name: 'ConfidencePhase', description: 'Which poll of a confidence pair: asked before or after.' });

/**
 * Confidence before and after: two CONFIDENCE polls (rated 1 to 5) asked in the same session or
 * community. An answer to either carries an anonymous pairing code (pair-code.ts): a hash of the
 * pair and a code only the participant's device holds, which links a person's before and after
 * answers to each other and to nobody, so the change can be measured.
 */
@Directive('@key(fields: "id")')
@ObjectType({
  description:
    'A confidence question asked before and after (two CONFIDENCE polls). Answers stay anonymous: each carries only a pairing code, ' +
    'a hash of the pair and a code only the participant\'s device holds (SubmitResponseInput.pairingCode), which links one person\'s ' +
    'before and after answers to each other but to no person.',
})
@Entity('confidence_pair')
export class ConfidencePair {
  @Field(() => ID, { description: '`<organisation>.cfp_<ulid>`.' })
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'organisation_id' })
  organisationId: string;

  @Column('text', { name: 'program_id' })
  programId: string;

  @Column('text', { name: 'session_id', nullable: true })
  sessionId: string | null;

  @Column('text', { name: 'community_id', nullable: true })
  communityId: string | null;

  @Field()
  @Column('text')
  question: string;

  @Column('text', { name: 'before_poll_id' })
  beforePollId: string;

  @Column('text', { name: 'after_poll_id' })
  afterPollId: string;

  /** Not a column: the program's minimum group size, when the gateway handed it over (`@requires`). */
  requiredProgram?: { minimumGroupSize?: number | null } | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
