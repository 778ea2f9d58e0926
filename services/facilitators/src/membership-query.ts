import { isDay, type KeysetOrder } from '@hub/core';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { CommunityMembership } from './community-membership.entity';

/**
 * Memberships of the given communities, as `membership`; only active ones unless `includeLeft`,
 * and only those of `organisations` unless that is null (every organisation).
 */
export function membershipQuery(
  ds: EntityManager,
  communityIds: readonly string[],
  includeLeft: boolean,
  organisations: readonly string[] | null,
): SelectQueryBuilder<CommunityMembership> {
  const qb = ds
    .getRepository(CommunityMembership)
    .createQueryBuilder('membership')
    .where('membership.communityId IN (:...communityIds)', { communityIds });
  if (organisations) qb.andWhere('membership.organisationId = ANY(CAST(:memberOrgs AS text[]))', { memberOrgs: organisations });
  if (!includeLeft) qb.andWhere('membership.leftOn IS NULL');
  return qb;
}

/** Members are listed in the order they joined. */
export const MEMBERSHIP_ORDER: KeysetOrder<CommunityMembership> = {
  columns: ['membership.joinedOn', 'membership.id'],
  values: (m) => [m.joinedOn, m.id],
  accepts: ([day, id]) => typeof day === 'string' && isDay(day) && typeof id === 'string',
};
