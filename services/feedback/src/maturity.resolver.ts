import { badField, connectionOf, forbidden, inTransaction, isRecordId, mayRead, newId, notFound, ownerOf, PageArgs, publishEvent, refTo } from '@hub/core';
import { ArrayMaxSize, ArrayMinSize, IsInt, Max, Min } from 'class-validator';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { FeedbackContext } from './context';
import { MaturityAssessment } from './maturity-assessment.entity';
import { MATURITY_QUESTIONS, maturityQuiz, MaturityQuiz, maturityScore, MaturityStage, stageOf } from './maturity-quiz';
import { MATURITY_TOPIC } from './poll-events';
import { CommunityRef, FacilitatorRef, OrganisationRef } from './refs';

@ObjectType()
export class MaturityAssessmentConnection extends connectionOf(MaturityAssessment, 'MaturityAssessment') {}

@InputType({ description: 'One take of the maturity quiz for a community.' })
export class SubmitMaturityAssessmentInput {
  @Field(() => ID)
  communityId: string;

  @Field(() => [Int], { description: `The score (1 to 5) of the option chosen for each of the quiz's ${MATURITY_QUESTIONS.length} questions, in order.` })
  @ArrayMinSize(MATURITY_QUESTIONS.length, { message: `must answer each of the ${MATURITY_QUESTIONS.length} questions` })
  @ArrayMaxSize(MATURITY_QUESTIONS.length, { message: `must answer each of the ${MATURITY_QUESTIONS.length} questions, no more` })
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(5, { each: true })
  answers: number[];
}

/** Who may take the quiz for a community: the people who run communities, not participants. */
const ASSESSORS = new Set(['facilitator', 'partner-admin', 'national-manager', 'system']);

@Resolver(() => MaturityAssessment)
export class MaturityResolver {
  @Query(() => MaturityQuiz, { description: 'The two-minute maturity quiz of a community of practice, to render and answer with submitMaturityAssessment.' })
  maturityQuiz(): MaturityQuiz {
    return maturityQuiz();
  }

  @FieldResolver(() => CommunityRef, { nullable: true })
  community(@Root() a: MaturityAssessment): CommunityRef {
    return refTo(CommunityRef, a.communityId);
  }

  @FieldResolver(() => FacilitatorRef, { nullable: true, description: 'The facilitator who took the quiz; null when an administrator did.' })
  assessedBy(@Root() a: MaturityAssessment): FacilitatorRef | null {
    return a.assessedByFacilitatorId ? refTo(FacilitatorRef, a.assessedByFacilitatorId) : null;
  }

  @FieldResolver(() => OrganisationRef, { nullable: true, description: 'The organisation of whoever took the quiz.' })
  assessedByOrganisation(@Root() a: MaturityAssessment): OrganisationRef {
    return refTo(OrganisationRef, a.assessedByOrganisationId);
  }

  @Mutation(() => MaturityAssessment, {
    description:
      'Takes the maturity quiz for a community: the mean of the answers places it at a stage (see MaturityQuiz.stages), kept in its ' +
      'Community.maturityHistory with who assessed it (not anonymous: it is about the community). By facilitators and administrators who can read ' +
      'the community. This does not change Community.maturityStage, which the community\'s administrators set.',
  })
  submitMaturityAssessment(@Arg('input') input: SubmitMaturityAssessmentInput, @Ctx() ctx: FeedbackContext): Promise<MaturityAssessment> {
    if (!isRecordId(input.communityId, 'com')) throw badField('input.communityId', 'is not a community ID');
    const owner = ownerOf(input.communityId) as string;
    if (!mayRead(ctx.scope, owner)) throw notFound('Community', input.communityId, 'input.communityId');
    if (!ASSESSORS.has(ctx.scope.role)) throw forbidden('Only facilitators and administrators take the maturity quiz for a community', 'input.communityId');
    const score = maturityScore(input.answers);
    return inTransaction(ctx.db, async (m) => {
      const saved = await m.save(
        MaturityAssessment,
        m.create(MaturityAssessment, {
          id: newId(owner, 'mat'),
          organisationId: owner,
          communityId: input.communityId,
          answers: input.answers,
          score,
          stage: stageOf(score),
          assessedByOrganisationId: ctx.scope.organisation ?? owner,
          assessedByFacilitatorId: ctx.scope.role === 'facilitator' ? ctx.scope.facilitator : null,
          assessedBySubject: ctx.scope.subject,
        }),
      );
      await publishEvent(m, { topic: MATURITY_TOPIC, key: input.communityId, data: { assessmentId: saved.id } });
      return saved;
    });
  }
}

const OWN_HISTORY =
  'From the maturity quiz (submitMaturityAssessment), kept by the feedback subgraph; apart from Community.maturityStage, which the community\'s administrators set.';

@Resolver(() => CommunityRef)
export class CommunityMaturityResolver {
  @FieldResolver(() => MaturityAssessmentConnection, { nullable: true, description: `The community's maturity assessments, newest first. ${OWN_HISTORY}` })
  async maturityHistory(@Root() community: CommunityRef, @Args() page: PageArgs, @Ctx() ctx: FeedbackContext): Promise<MaturityAssessmentConnection> {
    return new MaturityAssessmentConnection(await ctx.loaders.assessmentsOfCommunity.load({ id: community.id, filter: null, first: page.first, after: page.after ?? null }));
  }

  @FieldResolver(() => MaturityStage, { nullable: true, description: `The stage of the latest maturity assessment; null when never assessed. ${OWN_HISTORY}` })
  async assessedMaturityStage(@Root() community: CommunityRef, @Ctx() ctx: FeedbackContext): Promise<MaturityStage | null> {
    return (await ctx.loaders.latestAssessment.load(community.id))?.stage ?? null;
  }
}
