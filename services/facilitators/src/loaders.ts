import { aggregateLoader, loaderById, loaderGrouped } from '@hub/core';
import { In, type DataSource } from 'typeorm';
import { CommunityMembership } from './community-membership.entity';
import { Facilitator, type FacilitatorStatus } from './facilitator.entity';
import { FACILITATOR_ORDER, facilitatorQuery } from './facilitator-query';
import { MEMBERSHIP_ORDER, membershipQuery } from './membership-query';
import { EMPTY_GROUP_PAGE, paginateGroups, type GroupPage } from './paginate-groups';
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

export interface PageOf<F> {
  filter: F;
  first: number;
  after: string | null;
}

/** `{ id, count }` rows of a GROUP BY as a map. */
function countsById(rows: { id: string; count: number }[]): Map<string, number> {
  return new Map(rows.map((r) => [r.id, r.count]));
}

/** Per-request loaders of the facilitators subgraph: one query per relation, list page or count per request. */
export function createFacilitatorsLoaders(ds: DataSource) {
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
    facilitatorCount: aggregateLoader(async (ids, filter: FacilitatorsOfOrganisation) => {
      const rows = await facilitatorQuery(ds, { organisationIds: ids, ...filter })
        .select('facilitator.organisationId', 'id')
        .addSelect('CAST(COUNT(*) AS integer)', 'count')
        .groupBy('facilitator.organisationId')
        .getRawMany<{ id: string; count: number }>();
      return countsById(rows);
    }, 0),
    facilitatorPage: aggregateLoader(
      (ids, page: PageOf<FacilitatorsOfOrganisation>) =>
        paginateGroups(
          facilitatorQuery(ds, { organisationIds: ids, ...page.filter }),
          page,
          { column: 'facilitator.organisationId', of: (f) => f.organisationId },
          FACILITATOR_ORDER,
        ),
      EMPTY_GROUP_PAGE as GroupPage<Facilitator>,
    ),
    memberCount: aggregateLoader(async (ids, filter: MembersOfCommunity) => {
      const rows = await membershipQuery(ds, ids, filter.includeLeft)
        .select('membership.communityId', 'id')
        .addSelect('CAST(COUNT(*) AS integer)', 'count')
        .groupBy('membership.communityId')
        .getRawMany<{ id: string; count: number }>();
      return countsById(rows);
    }, 0),
    memberPage: aggregateLoader(
      (ids, page: PageOf<MembersOfCommunity>) =>
        paginateGroups(
          membershipQuery(ds, ids, page.filter.includeLeft),
          page,
          { column: 'membership.communityId', of: (m) => m.communityId },
          MEMBERSHIP_ORDER,
        ),
      EMPTY_GROUP_PAGE as GroupPage<CommunityMembership>,
    ),
  };
}

export type FacilitatorsLoaders = ReturnType<typeof createFacilitatorsLoaders>;
