import type { KeysetOrder } from '@hub/core';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Community, CommunityKind } from './community.entity';

export interface CommunityCriteria {
  organisationId?: string | null;
  programId?: string | null;
  kind?: CommunityKind | null;
  regionId?: string | null;
  tier?: string | null;
}

/** Adds the criteria to a query over communities aliased `community`. */
export function whereCommunities<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, c: CommunityCriteria): SelectQueryBuilder<T> {
  if (c.organisationId) qb.andWhere('community.organisation_id = :organisationId', { organisationId: c.organisationId });
  if (c.programId) qb.andWhere('community.program_id = :programId', { programId: c.programId });
  if (c.kind) qb.andWhere('community.kind = :kind', { kind: c.kind });
  if (c.regionId) qb.andWhere('community.region_id = :regionId', { regionId: c.regionId });
  if (c.tier) qb.andWhere('community.tier = :tier', { tier: c.tier });
  return qb;
}

/**
 * Communities are listed by name, case aside (`name_key`: the name in lower case, compared byte by
 * byte, so every deployment orders them alike and the gateway can merge the hub's and the partner
 * nodes' pages); the ID breaks ties, compared byte by byte too.
 */
export const COMMUNITY_ORDER: KeysetOrder<Community> = {
  columns: ['community.name_key', 'community.id COLLATE "C"'],
  values: (c) => [c.nameKey, c.id],
  accepts: (values) => values.every((v) => typeof v === 'string'),
};
