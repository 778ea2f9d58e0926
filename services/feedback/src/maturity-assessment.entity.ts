import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { MaturityStage } from './maturity-quiz';

const numeric = { to: (v: number) => v, from: (v: string | number) => Number(v) };

/**
 * One take of the maturity quiz for a community. Not anonymous: it is about the community, and
 * records who assessed it. Kept as history (never changed or removed).
 */
@ObjectType({ description: 'One take of the maturity quiz for a community: the answers, their mean and the stage it places the community at.' })
@Entity('maturity_assessment')
export class MaturityAssessment {
  @Field(() => ID, { description: '`<organisation>.mat_<ulid>`, the organisation being the community\'s owner.' })
  @PrimaryColumn('text')
  id: string;

  /** The community's owner (its ID's prefix): the assessment is read within that organisation's wall. */
  @Column('text', { name: 'organisation_id' })
  organisationId: string;

  @Column('text', { name: 'community_id' })
  communityId: string;

  @Field(() => [Int], { description: 'The score (1 to 5) of the option chosen for each question of the quiz, in order.' })
  @Column('integer', { array: true })
  answers: number[];

  @Field(() => Float, { description: 'The mean of the answers, rounded to 2 decimals.' })
  @Column('numeric', { precision: 3, scale: 2, transformer: numeric })
  score: number;

  @Field(() => MaturityStage, { description: 'The stage the score places the community at (see MaturityQuiz.stages).' })
  @Column('text')
  stage: MaturityStage;

  @Column('text', { name: 'assessed_by_organisation_id' })
  assessedByOrganisationId: string;

  @Column('text', { name: 'assessed_by_facilitator_id', nullable: true })
  assessedByFacilitatorId: string | null;

  /** The token's subject of whoever assessed; not exposed (assessedBy and assessedByOrganisation are). */
  @Column('text', { name: 'assessed_by_subject' })
  assessedBySubject: string;

  @Field()
  @CreateDateColumn({ name: 'assessed_at', type: 'timestamptz', precision: 3 })
  assessedAt: Date;
}
