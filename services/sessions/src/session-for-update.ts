import { badField, conflict, isRecordId, mayRead, notFound, type AccessScope } from '@hub/core';
import type { EntityManager } from 'typeorm';
import { Session, SessionStatus } from './session.entity';

/**
 * The session to change, locked until the transaction ends so that concurrent transitions queue.
 * A session outside the caller's wall is NOT_FOUND, as if it did not exist.
 */
export async function sessionForUpdate(m: EntityManager, scope: AccessScope, id: string, field: string): Promise<Session> {
  if (!isRecordId(id, 'ses')) throw badField(field, 'is not a session ID');
  const session = await m.findOne(Session, { where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!session || !mayRead(scope, session.organisationId)) throw notFound('Session', id, field);
  return session;
}

/** CONFLICT, naming the session's status, unless it is one of `allowed`. */
export function requireStatus(session: Session, allowed: SessionStatus[], action: string, field: string): void {
  if (allowed.includes(session.status)) return;
  throw conflict(`Session is ${session.status}: only a ${allowed.join(' or ')} session can ${action}`, [
    { field, message: `session is ${session.status}` },
  ]);
}
