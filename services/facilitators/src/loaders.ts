import { countEach, loaderById, loaderGrouped, mayRead, paginateEach, readableOrganisations, type AccessScope } from '@hub/core';
import { In, type EntityManager } from 'typeorm';
import { facilitatorOrganisations, mayReadCourse, mayReadFacilitatorsOf, nameVisibility } from './access-rules';
import { CommunityMembership } from './community-membership.entity';
import { Facilitator, type FacilitatorStatus } from './facilitator.entity';
import { facilitatorOrder, facilitatorQuery } from './facilitator-query';
import { MEMBERSHIP_ORDER, membershipQuery } from './membership-query';
import { CommunityMembershipRules } from './membership-rules.entity';
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

/**
 * Per-request loaders of the facilitators subgraph: one query per relation, list page or count per
 * request. They run on the request's transaction (row-level security under the caller's scope) and
 * keep, besides, only what the caller may read, so each of the two walls stands alone.
 */
export function createFacilitatorsLoaders(ds: EntityManager, scope: AccessScope) {
  const names = nameVisibility(scope);
  const readable = <T extends { organisationId: string }>(rows: T[]) => rows.filter((r) => mayReadFacilitatorsOf(scope, r.organisationId));
  /** Parents (organisations) are checked by the resolvers before they reach these loaders. */
  const facilitatorsOfOrganisations = {
    parent: 'facilitator.organisationId',
    query: (ids: string[], filter: FacilitatorsOfOrganisation) => facilitatorQuery(ds, { organisationIds: ids, ...filter }, names),
  };
  /** A community's members come from many organisations: only those within the wall are listed. */
  const membersOfCommunities = {
    parent: 'membership.communityId',
    query: (ids: string[], filter: MembersOfCommunity) => membershipQuery(ds, ids, filter.includeLeft, facilitatorOrganisations(scope)),
  };
  const facilitatorCount = countEach(facilitatorsOfOrganisations);
  /** Counts are aggregates, given within the wall (participants included). */
  const memberCount = countEach({
    parent: 'membership.communityId',
    query: (ids: string[], filter: MembersOfCommunity) => membershipQuery(ds, ids, filter.includeLeft, readableOrganisations(scope)),
  });
  const listedMemberCount = scope.role === 'participant' ? countEach(membersOfCommunities) : memberCount;

  return {
    facilitator: loaderById(
      async (ids: readonly string[]) => readable(await ds.getRepository(Facilitator).findBy({ id: In([...ids]) })),
      (f) => f.id,
    ),
    course: loaderById(
      async (ids: readonly string[]) => (await ds.getRepository(TrainingCourse).findBy({ id: In([...ids]) })).filter((c) => mayReadCourse(scope, c)),
      (c) => c.id,
    ),
    trainingRecordsOfFacilitator: loaderGrouped(
      async (ids: readonly string[]) =>
        readable(await ds.getRepository(TrainingRecord).find({ where: { facilitatorId: In([...ids]) }, order: { completedOn: 'DESC', id: 'ASC' } })),
      (r) => r.facilitatorId,
    ),
    membershipsOfFacilitator: loaderGrouped(
      async (ids: readonly string[]) =>
        readable(await ds.getRepository(CommunityMembership).find({ where: { facilitatorId: In([...ids]) }, order: { joinedOn: 'ASC', id: 'ASC' } })),
      (m) => m.facilitatorId,
    ),
    /** A community's membership rules, within the caller's wall (the community's organisation). */
    membershipRules: loaderById(
      async (ids: readonly string[]) =>
        (await ds.getRepository(CommunityMembershipRules).findBy({ communityId: In([...ids]) })).filter((r) => mayRead(scope, r.organisationId)),
      (r) => r.communityId,
    ),
    /** A community's current members whose records the caller may read (members from outside its wall are left out). */
    activeMembersOfCommunity: loaderGrouped(
      (ids: readonly string[]) =>
        membershipQuery(ds, ids, false, facilitatorOrganisations(scope)).orderBy('membership.joinedOn', 'ASC').addOrderBy('membership.id', 'ASC').getMany(),
      (m) => m.communityId,
    ),
    facilitatorCount,
    facilitatorPage: paginateEach<FacilitatorsOfOrganisation, Facilitator>({
      ...facilitatorsOfOrganisations,
      order: facilitatorOrder(names),
      count: (id, filter) => facilitatorCount.load({ id, filter }),
    }),
    memberCount,
    memberPage: paginateEach<MembersOfCommunity, CommunityMembership>({
      ...membersOfCommunities,
      order: MEMBERSHIP_ORDER,
      count: (id, filter) => listedMemberCount.load({ id, filter }),
    }),
  };
}

export type FacilitatorsLoaders = ReturnType<typeof createFacilitatorsLoaders>;
