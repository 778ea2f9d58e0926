import { publishEvent } from '@hub/core';
import type { EntityManager } from 'typeorm';
import { PollKind, type Poll } from './poll.entity';

/**
 * Change events of the feedback subgraph (PostgreSQL NOTIFY from inside the writing transaction:
 * delivered only when it commits). They carry the poll's ID and nothing else: never the answer,
 * nothing about who answered. Subscribers load the poll under their own scope (poll-subscription.resolver.ts).
 */

/** Key: the poll's ID. On every accepted answer and when the poll is closed. */
export const POLL_TOPIC = 'poll';
/** Key: the community's or session's ID. On every accepted answer to one of its CHECK_IN polls. */
export const CHECK_IN_TOPIC = 'check-in';

/** Key: the community's ID. When a maturity assessment of it is stored; data: the assessment's ID. */
export const MATURITY_TOPIC = 'maturity';

export interface PollEventData {
  pollId: string;
}

/** Inside the transaction that stored an answer to `poll`. */
export async function publishAnswer(db: EntityManager, poll: Poll): Promise<void> {
  const data: PollEventData = { pollId: poll.id };
  await publishEvent(db, { topic: POLL_TOPIC, key: poll.id, data: { ...data } });
  if (poll.kind !== PollKind.CHECK_IN) return;
  for (const key of [poll.communityId, poll.sessionId]) {
    if (key) await publishEvent(db, { topic: CHECK_IN_TOPIC, key, data: { ...data } });
  }
}

/** Inside the transaction that closed `poll`. */
export async function publishClose(db: EntityManager, poll: Poll): Promise<void> {
  await publishEvent(db, { topic: POLL_TOPIC, key: poll.id, data: { pollId: poll.id } });
}
