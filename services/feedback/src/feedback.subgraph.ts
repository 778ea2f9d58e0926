import { createSubgraph, type Subgraph, type SubgraphConfig, type SubgraphDefinition } from '@hub/core';
import { createFeedbackLoaders, type FeedbackLoaders } from './loaders';
import { FeedbackInitial1763800400000 } from './migrations/1763800400000-feedback-initial';
import { FeedbackAnonymity1764100000000 } from './migrations/1764100000000-feedback-anonymity';
import { FeedbackRowSecurity1764100100000 } from './migrations/1764100100000-feedback-row-security';
import { FeedbackResultsVisibility1764300000000 } from './migrations/1764300000000-feedback-results-visibility';
import { FeedbackCopMeasures1765300000000 } from './migrations/1765300000000-feedback-cop-measures';
import { FeedbackResponseOwner1766000000000 } from './migrations/1766000000000-feedback-response-owner';
import { FeedbackIdsByteOrder1767300000000 } from './migrations/1767300000000-feedback-ids-byte-order';
import { CommunityPairsResolver, ConfidencePairResolver, PollPairResolver, SessionPairsResolver } from './confidence.resolver';
import { ConfidencePair } from './confidence-pair.entity';
import { CommunityMaturityResolver, MaturityResolver } from './maturity.resolver';
import { MaturityAssessment } from './maturity-assessment.entity';
import { CommunityFeedbackResolver, SessionFeedbackResolver } from './target-feedback.resolver';
import { OrganisationFeedbackResolver, ProgramFeedbackResolver } from './owner-feedback.resolver';
import { checkParticipationSecret } from './participant-hash';
import { Participation } from './participation.entity';
import { PollResponse } from './poll-response.entity';
import { PollResultsResolver } from './poll-results.resolver';
import { PollSubscriptionResolver } from './poll-subscription.resolver';
import { Poll } from './poll.entity';
import { PollResolver } from './poll.resolver';
import { feedbackReferences } from './references';
import { ResponseResolver } from './response.resolver';

/**
 * Polls, check-ins, evaluations, confidence before/after and outcome ratings with anonymous answers
 * and small-group suppression of results; the CoP maturity quiz and each community's assessed stages.
 */
export const feedbackDefinition: SubgraphDefinition<FeedbackLoaders> = {
  name: 'feedback',
  resolvers: [
    PollResolver,
    PollResultsResolver,
    PollSubscriptionResolver,
    ResponseResolver,
    SessionFeedbackResolver,
    CommunityFeedbackResolver,
    OrganisationFeedbackResolver,
    ProgramFeedbackResolver,
    ConfidencePairResolver,
    PollPairResolver,
    SessionPairsResolver,
    CommunityPairsResolver,
    MaturityResolver,
    CommunityMaturityResolver,
  ],
  referenceResolvers: feedbackReferences,
  entities: [Poll, PollResponse, Participation, ConfidencePair, MaturityAssessment],
  migrations: [FeedbackInitial1763800400000, FeedbackAnonymity1764100000000, FeedbackRowSecurity1764100100000, FeedbackResultsVisibility1764300000000, FeedbackCopMeasures1765300000000, FeedbackResponseOwner1766000000000, FeedbackIdsByteOrder1767300000000],
  createLoaders: createFeedbackLoaders,
};

export async function createFeedbackSubgraph(config: SubgraphConfig): Promise<Subgraph> {
  checkParticipationSecret();
  return createSubgraph(feedbackDefinition, config);
}
