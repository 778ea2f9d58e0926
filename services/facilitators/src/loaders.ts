import { countEach, loaderById, loaderGrouped, paginateEach } from '@hub/core';
import { In, type EntityManager } from 'typeorm';
import { CommunityMembership } from './community-membership.entity';
import { Facilitator, type FacilitatorStatus } from './facilitator.entity';
import { FACILITATOR_ORDER, facilitatorQuery } from './facilitator-query';
import { MEMBERSHIP_ORDER, membershipQuery } from './membership-query';
import { TrainingCourse } from './training-course.entity';
import { TrainingRecord } from './training-record.entity';

/** Which of an organisation's facilitators to count or list; null fields match everything. */
export interface FacilitatorsOfOrganisation {
  status: FacilitatorStatus | null;
  nameContains: string | null;
}

export interface MembersOfCommunity {
  includeLeft: boolean;
}

/** Per-request loaders of the facilitators subgraph: one query per relation, list page or count per request. */
export function createFacilitatorsLoaders(ds: EntityManager) {
  const facilitatorsOfOrganisations = {
    parent: 'facilitator.organisationId',
    query: (ids: string[], filter: FacilitatorsOfOrganisation) => facilitatorQuery(ds, { organisationIds: ids, ...filter }),
  };
  const membersOfCommunities = {
    parent: 'membership.communityId',
    query: (ids: string[], filter: MembersOfCommunity) => membershipQuery(ds, ids, filter.includeLeft),
  };
  const facilitatorCount = countEach(facilitatorsOfOrganisations);
  const memberCount = countEach(membersOfCommunities);

  return {
    facilitator: loaderById(
      (ids: readonly string[]) => ds.getRepository(Facilitator).findBy({ id: In([...ids]) }),
      (f) => f.id,
    ),
    course: loaderById(
      (ids: readonly string[]) => ds.getRepository(TrainingCourse).findBy({ id: In([...ids]) }),
      (c) => c.id,
    ),
    trainingRecordsOfFacilitator: loaderGrouped(
      (ids: readonly string[]) =>
        ds.getRepository(TrainingRecord).find({ where: { facilitatorId: In([...ids]) }, order: { completedOn: 'DESC', id: 'ASC' } }),
      (r) => r.facilitatorId,
    ),
    membershipsOfFacilitator: loaderGrouped(
      (ids: readonly string[]) =>
        ds.getRepository(CommunityMembership).find({ where: { facilitatorId: In([...ids]) }, order: { joinedOn: 'ASC', id: 'ASC' } }),
      (m) => m.facilitatorId,
    ),
    facilitatorCount,
    facilitatorPage: paginateEach<FacilitatorsOfOrganisation, Facilitator>({
      ...facilitatorsOfOrganisations,
      order: FACILITATOR_ORDER,
      count: (id, filter) => facilitatorCount.load({ id, filter }),
    }),
    memberCount,
    memberPage: paginateEach<MembersOfCommunity, CommunityMembership>({
      ...membersOfCommunities,
      order: MEMBERSHIP_ORDER,
      count: (id, filter) => memberCount.load({ id, filter }),
    }),
  };
}

export type FacilitatorsLoaders = ReturnType<typeof createFacilitatorsLoaders>;
