import { createSubgraph, type Subgraph, type SubgraphConfig, type SubgraphDefinition } from '@hub/core';
import { CommunityMembersResolver } from './community-members.resolver';
import { CommunityMembership } from './community-membership.entity';
import { CommunityMembershipResolver } from './community-membership.resolver';
import { Facilitator } from './facilitator.entity';
import { FacilitatorResolver } from './facilitator.resolver';
import { createFacilitatorsLoaders, type FacilitatorsLoaders } from './loaders';
import { FacilitatorsInitial1763800100000 } from './migrations/1763800100000-facilitators-initial';
import { FacilitatorsRowSecurity1763800100001 } from './migrations/1763800100001-facilitators-row-security';
import { MembershipRules1765200000000 } from './migrations/1765200000000-membership-rules';
import { FacilitatorNameKeys1767000100000 } from './migrations/1767000100000-facilitator-name-keys';
import { CommunityMembershipRules } from './membership-rules.entity';
import {
  CommunityRulesResolver,
  MembershipBreachesResolver,
  MembershipRuleBreachResolver,
  MembershipRulesResolver,
  RequiredTrainingResolver,
} from './membership-rules.resolver';
import { OrganisationFacilitatorsResolver } from './organisation-facilitators.resolver';
import { facilitatorsReferences } from './references';
import { TrainingCourse } from './training-course.entity';
import { TrainingCourseResolver } from './training-course.resolver';
import { TrainingRecord } from './training-record.entity';
import { TrainingRecordResolver } from './training-record.resolver';

/** Facilitators, their training and their community memberships. */
export const facilitatorsDefinition: SubgraphDefinition<FacilitatorsLoaders> = {
  name: 'facilitators',
  resolvers: [
    FacilitatorResolver,
    TrainingCourseResolver,
    TrainingRecordResolver,
    CommunityMembershipResolver,
    OrganisationFacilitatorsResolver,
    CommunityMembersResolver,
    MembershipRulesResolver,
    RequiredTrainingResolver,
    MembershipRuleBreachResolver,
    CommunityRulesResolver,
    MembershipBreachesResolver,
  ],
  referenceResolvers: facilitatorsReferences,
  entities: [Facilitator, TrainingCourse, TrainingRecord, CommunityMembership, CommunityMembershipRules],
  migrations: [FacilitatorsInitial1763800100000, FacilitatorsRowSecurity1763800100001, MembershipRules1765200000000, FacilitatorNameKeys1767000100000],
  createLoaders: createFacilitatorsLoaders,
};

export function createFacilitatorsSubgraph(config: SubgraphConfig): Promise<Subgraph> {
  return createSubgraph(facilitatorsDefinition, config);
}
