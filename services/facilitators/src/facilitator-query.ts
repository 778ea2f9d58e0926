import { containing, type KeysetOrder } from '@hub/core';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { NameVisibility } from './access-rules';
import { Facilitator, type FacilitatorStatus } from './facilitator.entity';

export interface FacilitatorMatch {
  organisationIds?: readonly string[];
  regionId?: string | null;
  status?: FacilitatorStatus | null;
  nameContains?: string | null;
}

/**
 * SQL for "the caller sees this row's names", over the `facilitator` alias, with the parameters it
 * needs; null when every name is visible.
 */
function visibleNames(names: NameVisibility): { sql: string; params: Record<string, unknown> } | null {
  if (names.all) return null;
  return {
    sql: `(facilitator.organisationId = ANY(CAST(:nameOrgs AS text[])) OR facilitator.id = :nameSelf)`,
    params: { nameOrgs: names.organisations, nameSelf: names.self ?? '' },
  };
}

/**
 * Facilitators matching a filter, as `facilitator`; shared by the lists, their pages and their
 * counts. A name filter matches only names the caller may see, so it cannot reveal withheld ones.
 */
export function facilitatorQuery(ds: EntityManager, match: FacilitatorMatch, names: NameVisibility): SelectQueryBuilder<Facilitator> {
  const qb = ds.getRepository(Facilitator).createQueryBuilder('facilitator');
  const visible = visibleNames(names);
  // the order (facilitatorOrder) reads these parameters too
  if (visible) qb.setParameters(visible.params);
  if (match.organisationIds) qb.andWhere('facilitator.organisationId IN (:...organisationIds)', { organisationIds: match.organisationIds });
  if (match.regionId) qb.andWhere('facilitator.regionId = :regionId', { regionId: match.regionId });
  if (match.status) qb.andWhere('facilitator.status = :status', { status: match.status });
  if (match.nameContains) {
    if (visible) qb.andWhere(visible.sql);
    qb.andWhere(`(facilitator.givenName || ' ' || facilitator.familyName) ILIKE :name`, {
      name: containing(match.nameContains),
    });
  }
  return qb;
}

/** Facilitators are listed by family name, then given name. */
const BY_NAME: KeysetOrder<Facilitator> = {
  columns: ['facilitator.familyName', 'facilitator.givenName', 'facilitator.id'],
  values: (f) => [f.familyName, f.givenName, f.id],
  accepts: (v) => v.every((x) => typeof x === 'string'),
};

/**
 * The list order for a caller. Facilitators whose names it may see come by family name, then
 * given name; those whose names are withheld follow, by ID, so that neither their place in the
 * list nor a cursor (which holds the sort values) tells anything about their names. Used with
 * `facilitatorQuery(…, names)`, which binds the parameters.
 */
export function facilitatorOrder(names: NameVisibility): KeysetOrder<Facilitator> {
  const visible = visibleNames(names);
  if (!visible) return BY_NAME;
  const organisations = new Set(names.organisations);
  const sees = (f: Facilitator) => organisations.has(f.organisationId) || f.id === names.self;
  return {
    columns: [
      `(CASE WHEN ${visible.sql} THEN 0 ELSE 1 END)`,
      `(CASE WHEN ${visible.sql} THEN facilitator.familyName ELSE '' END)`,
      `(CASE WHEN ${visible.sql} THEN facilitator.givenName ELSE '' END)`,
      'facilitator.id',
    ],
    values: (f) => (sees(f) ? [0, f.familyName, f.givenName, f.id] : [1, '', '', f.id]),
    accepts: ([hidden, family, given, id]) =>
      (hidden === 0 || hidden === 1) && typeof family === 'string' && typeof given === 'string' && typeof id === 'string',
  };
}
