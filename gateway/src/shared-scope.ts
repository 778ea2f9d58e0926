import type { AccessScope } from '@hub/core';

/** The subject a subscription shared by participants is held under: no one's. */
export const SHARED_PARTICIPANT = 'participants';

/**
 * The scope a subscription is shared, held and completed under. Participants' scopes differ only
 * by their subject, and nothing a participant may read depends on its subject: the subject is used
 * by writes (check-ins, RSVPs, answers, documents; the row-level-security policies on
 * `hub_subject()` are all write policies) and to show a forum step's actor to that person, where
 * participants never go. So every participant with the same organisations and programs shares one
 * upstream subscription, held under a subject of no one: a live session followed by 2,000
 * participants costs one upstream subscription. Other roles see things of their own (a
 * facilitator its own names and contacts), so they share only with callers of the very same scope.
 */
export function sharedScope(scope: AccessScope): AccessScope {
  return scope.role === 'participant' ? { ...scope, subject: SHARED_PARTICIPANT } : scope;
}
