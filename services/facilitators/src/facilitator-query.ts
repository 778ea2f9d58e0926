import { containing, type KeysetOrder } from '@hub/core';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { Facilitator, type FacilitatorStatus } from './facilitator.entity';

export interface FacilitatorMatch {
  organisationIds?: readonly string[];
  regionId?: string | null;
  status?: FacilitatorStatus | null;
  nameContains?: string | null;
}

/** Facilitators matching a filter, as `facilitator`; shared by the lists, their pages and their counts. */
export function facilitatorQuery(ds: EntityManager, match: FacilitatorMatch): SelectQueryBuilder<Facilitator> {
  const qb = ds.getRepository(Facilitator).createQueryBuilder('facilitator');
  if (match.organisationIds) qb.andWhere('facilitator.organisationId IN (:...organisationIds)', { organisationIds: match.organisationIds });
  if (match.regionId) qb.andWhere('facilitator.regionId = :regionId', { regionId: match.regionId });
  if (match.status) qb.andWhere('facilitator.status = :status', { status: match.status });
  if (match.nameContains) {
    qb.andWhere(`(facilitator.givenName || ' ' || facilitator.familyName) ILIKE :name`, {
      name: containing(match.nameContains),
    });
  }
  return qb;
}

/** Facilitators are listed by family name, then given name. */
export const FACILITATOR_ORDER: KeysetOrder<Facilitator> = {
  columns: ['facilitator.familyName', 'facilitator.givenName', 'facilitator.id'],
  values: (f) => [f.familyName, f.givenName, f.id],
};
