import { badField, isTimeAndId, type KeysetOrder } from '@hub/core';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { SessionStatus, type Session } from './session.entity';

/** What a list or count of sessions can be narrowed by; `from`/`to` bound startsAt as [from, to). */
export interface SessionCriteria {
  communityId?: string | null;
  organisationId?: string | null;
  programId?: string | null;
  facilitatorId?: string | null;
  status?: SessionStatus | null;
  from?: Date | null;
  to?: Date | null;
  /** Leaves out cancelled sessions when no status is asked for (nobody facilitates a cancelled session). */
  excludeCancelled?: boolean;
}

/** Adds the criteria to a query over sessions aliased `session`. */
export function whereSessions<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, c: SessionCriteria): SelectQueryBuilder<T> {
  if (c.communityId) qb.andWhere('session.community_id = :communityId', { communityId: c.communityId });
  if (c.organisationId) qb.andWhere('session.organisation_id = :organisationId', { organisationId: c.organisationId });
  if (c.programId) qb.andWhere('session.program_id = :programId', { programId: c.programId });
  if (c.facilitatorId) {
    qb.andWhere('session.id IN (SELECT session_id FROM session_facilitator WHERE facilitator_id = :facilitatorId)', { facilitatorId: c.facilitatorId });
  }
  if (c.status) qb.andWhere('session.status = :status', { status: c.status });
  else if (c.excludeCancelled) qb.andWhere('session.status <> :cancelled', { cancelled: SessionStatus.CANCELLED });
  if (c.from) qb.andWhere('session.starts_at >= :from', { from: c.from });
  if (c.to) qb.andWhere('session.starts_at < :to', { to: c.to });
  return qb;
}

/** `to` must not come before `from`; `prefix` is where the two were given (e.g. `filter.`). */
export function checkPeriod(c: { from?: Date | null; to?: Date | null }, prefix = ''): void {
  if (c.from && c.to && c.to < c.from) throw badField(`${prefix}to`, 'is before from');
}

/** Sessions are listed by start time; the ID, compared byte by byte on every deployment, breaks ties. */
export const SESSION_ORDER: KeysetOrder<Session> = {
  columns: ['session.starts_at', 'session.id COLLATE "C"'],
  values: (s) => [s.startsAt.toISOString(), s.id],
  accepts: isTimeAndId,
};
