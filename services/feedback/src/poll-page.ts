import { badField, decodeCursor, encodeCursor, type Page } from '@hub/core';
import type { Poll } from './poll.entity';

/** Polls are listed newest first; a cursor is the last poll's createdAt and id. */
export function pollCursorValues(poll: Poll): [string, string] {
  return [poll.createdAt.toISOString(), poll.id];
}

/** Decodes `after`, refusing anything that is not a poll cursor (BAD_USER_INPUT on `after`). */
export function decodePollCursor(after: string | null | undefined): [string, string] | null {
  if (!after) return null;
  const [at, id] = decodeCursor(after, 2);
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || typeof id !== 'string') {
    throw badField('after', 'is not a cursor returned by this list');
  }
  return [at, id];
}

/** A page from up to `first + 1` polls (the extra one only tells that another page follows). */
export function pollPage(rows: Poll[], first: number, totalCount: () => Promise<number>): Page<Poll> {
  const nodes = rows.slice(0, first);
  return {
    nodes,
    cursors: nodes.map((p) => encodeCursor(pollCursorValues(p))),
    hasNextPage: rows.length > first,
    totalCount,
  };
}
