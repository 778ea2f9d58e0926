import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export enum PollKind {
  POLL = 'POLL',
  CHECK_IN = 'CHECK_IN',
  EVALUATION = 'EVALUATION',
  CONFIDENCE = 'CONFIDENCE',
  OUTCOME = 'OUTCOME',
}
registerEnumType(PollKind, { name: 'PollKind', description: 'What a poll is for; CONFIDENCE and OUTCOME are always rated 1 to 5.' });

export enum PollAnswerType {
  CHOICE = 'CHOICE',
  RATING = 'RATING',
  TEXT = 'TEXT',
}
registerEnumType(PollAnswerType, { name: 'PollAnswerType', description: 'One of the options, a rating from 1 to 5, or free text.' });

export enum PollStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}
registerEnumType(PollStatus, { name: 'PollStatus' });

export enum ResultsVisibility {
  LIVE = 'LIVE',
  AFTER_CLOSE = 'AFTER_CLOSE',
}
registerEnumType(ResultsVisibility, {
  name: 'ResultsVisibility',
  description: 'When a poll\'s results may be seen (always subject to the minimum group size).',
  valuesConfig: {
    LIVE: { description: 'While the poll is open, as the answers come in.' },
    AFTER_CLOSE: { description: 'Only once the poll has closed (closePoll, or its closesAt has passed); until then its results are suppressed for everyone.' },
  },
});

/** Ratings are always on this scale, so results of different polls can be compared. */
export const RATING_MIN = 1;
export const RATING_MAX = 5;

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A poll, check-in, evaluation, confidence or outcome question asked in a session or a community. Answers are anonymous.' })
@Entity('poll')
export class Poll {
  @Field(() => ID)
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

  @Field(() => PollKind)
  @Column('text')
  kind: PollKind;

  @Field()
  @Column('text')
  question: string;

  @Field(() => PollAnswerType)
  @Column('text', { name: 'answer_type' })
  answerType: PollAnswerType;

  /** Null unless the answer type is CHOICE. */
  @Column('text', { array: true, nullable: true })
  options: string[] | null;

  /**
   * Not a column: the program's minimum group size, when the gateway handed it over in this poll's
   * representation (`@requires`, see references.ts). The program owns it; polls never store a copy.
   */
  requiredProgram?: { minimumGroupSize?: number | null } | null;

  @Field(() => PollStatus)
  @Column('text')
  status: PollStatus;

  @Field(() => ResultsVisibility, { description: 'LIVE (the default): results while the poll is open; AFTER_CLOSE: only once it has closed.' })
  @Column('text', { name: 'results_visibility', default: ResultsVisibility.LIVE })
  resultsVisibility: ResultsVisibility;

  @Field(() => Date, { nullable: true, description: 'Answers are refused before this instant, when set.' })
  @Column('timestamptz', { name: 'opens_at', nullable: true })
  opensAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Answers are refused from this instant on, when set.' })
  @Column('timestamptz', { name: 'closes_at', nullable: true })
  closesAt: Date | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
