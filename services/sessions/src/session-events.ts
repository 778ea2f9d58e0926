import { publishEvent } from '@hub/core';
import type { EntityManager } from 'typeorm';
import type { Session } from './session.entity';

/**
 * Change events of the sessions subgraph (packages/core/src/events.ts). Each is published inside the
 * transaction that makes the change, so it reaches every replica on commit and never on rollback.
 * Payloads are tiny: subscribers load the session again under their own scope.
 */
export const SESSION_TOPIC = 'session';
/** Key: the session ID. Who came to it changed (check-ins, recorded attendance). */
export const ATTENDANCE_TOPIC = 'attendance';
/** Key: a program ID or a community ID. One of its sessions started, changed phase, ended or was cancelled. */
export const LIVE_SESSIONS_TOPIC = 'live-sessions';

/** The facts an event carries. */
export type SessionEventData = {
  sessionId: string;
};

export interface SessionChange {
  /** Who came changed. */
  attendance?: boolean;
  /** The session started, changed phase, ended or was cancelled. */
  lifecycle?: boolean;
}

/** Publishes a change of `session` (always on its `session` topic; on the others as `change` says). */
export async function publishSessionChange(
  m: EntityManager,
  session: Pick<Session, 'id' | 'programId' | 'communityId'>,
  change: SessionChange = {},
): Promise<void> {
  const data: SessionEventData = { sessionId: session.id };
  await publishEvent(m, { topic: SESSION_TOPIC, key: session.id, data });
  if (change.attendance) await publishEvent(m, { topic: ATTENDANCE_TOPIC, key: session.id, data });
  if (change.lifecycle) {
    await publishEvent(m, { topic: LIVE_SESSIONS_TOPIC, key: session.programId, data });
    await publishEvent(m, { topic: LIVE_SESSIONS_TOPIC, key: session.communityId, data });
  }
}
