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

/**
 * The list order for a caller: facilitators whose names it may see come by family name, then given
 * name (case aside: `family_key`, `given_key`, compared byte by byte, so that every deployment, the
 * hub's and each partner node's, orders them alike and the gateway can merge their pages); those
 * whose names are withheld follow, by ID, so that neither their place in the list nor a cursor
 * (which holds the sort values) tells anything about their names. Every cursor has the same four
 * values whoever asks. Used with `facilitatorQuery(…, names)`, which binds the parameters.
 */
export function facilitatorOrder(names: NameVisibility): KeysetOrder<Facilitator> {
  const visible = visibleNames(names)?.sql ?? 'true';
  const organisations = new Set(names.organisations);
  const sees = (f: Facilitator) => names.all || organisations.has(f.organisationId) || f.id === names.self;
  return {
    columns: [
      `(CASE WHEN ${visible} THEN 0 ELSE 1 END)`,
      `(CASE WHEN ${visible} THEN facilitator.family_key ELSE '' END)`,
      `(CASE WHEN ${visible} THEN facilitator.given_key ELSE '' END)`,
      'facilitator.id COLLATE "C"',
    ],
    values: (f) => (sees(f) ? [0, f.familyKey, f.givenKey, f.id] : [1, '', '', f.id]),
    accepts: ([hidden, family, given, id]) =>
      (hidden === 0 || hidden === 1) && typeof family === 'string' && typeof given === 'string' && typeof id === 'string',
  };
}
