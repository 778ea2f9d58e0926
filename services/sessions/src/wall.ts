import { forbidden, mayManage, mayRead, type AccessScope } from '@hub/core';
import type { EntityManager } from 'typeorm';
import { SessionFacilitator } from './session-facilitator.entity';

/** `row` when the caller may read its organisation's records, else null (as if it did not exist). */
export function readable<T extends { organisationId: string }>(scope: AccessScope, row: T | null | undefined): T | null {
  return row && mayRead(scope, row.organisationId) ? row : null;
}

/** Is the caller (a facilitator) one of these facilitators? */
export function isRostered(scope: AccessScope, facilitatorIds: readonly string[]): boolean {
  return scope.role === 'facilitator' && !!scope.facilitator && facilitatorIds.includes(scope.facilitator);
}

/**
 * Running a session (start, phases, end, attendance) is for the owning organisation's
 * administrators and the session's own facilitators; FORBIDDEN naming `field` otherwise.
 */
export async function assertRunSession(
  m: EntityManager,
  scope: AccessScope,
  session: { id: string; organisationId: string },
  field: string,
): Promise<void> {
  if (mayManage(scope, session.organisationId)) return;
  if (scope.role === 'facilitator' && scope.facilitator) {
    const rostered = await m.existsBy(SessionFacilitator, { sessionId: session.id, facilitatorId: scope.facilitator });
    if (rostered) return;
  }
  throw forbidden(`Only ${session.organisationId}'s administrators or the session's facilitators may do this`, field);
}
