import { isTimeAndId, type KeysetOrder } from '@hub/core';
import type { Poll } from './poll.entity';

/** Polls are listed newest first; the ID, compared byte by byte on every deployment, breaks ties. */
export const POLL_ORDER: KeysetOrder<Poll> = {
  columns: ['poll.createdAt', 'poll.id COLLATE "C"'],
  values: (p) => [p.createdAt.toISOString(), p.id],
  direction: 'DESC',
  accepts: isTimeAndId,
};
