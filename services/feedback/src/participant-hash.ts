import { createHmac } from 'node:crypto';
import { ConfigError } from '@hub/core';

/** Used when FEEDBACK_PARTICIPATION_SECRET is unset, outside production only. */
export const DEV_PARTICIPATION_SECRET = 'hub-feedback-dev-participation-secret';

/**
 * The key of participation hashes. Without it a hash cannot be tied to a participant, even by
 * someone holding the database. Changing it lets people who answered an open poll answer again.
 */
export function participationSecret(env: Record<string, string | undefined> = process.env): string {
  return env.FEEDBACK_PARTICIPATION_SECRET || DEV_PARTICIPATION_SECRET;
}

/** Refuses to run production on the published development secret or on a short one. */
export function checkParticipationSecret(env: Record<string, string | undefined> = process.env): void {
  const secret = env.FEEDBACK_PARTICIPATION_SECRET;
  if (secret && secret.length < 16) throw new ConfigError('Invalid configuration:\n  FEEDBACK_PARTICIPATION_SECRET: must be at least 16 characters');
  if (!secret && env.NODE_ENV === 'production') throw new ConfigError('Missing configuration: set FEEDBACK_PARTICIPATION_SECRET');
}

/** Hex HMAC-SHA256 of `<pollId>:<subject>` (the answerer, the token's subject): per poll, so hashes of one person differ between polls. */
export function participantHash(pollId: string, subject: string, secret = participationSecret()): string {
  return createHmac('sha256', secret).update(`${pollId}:${subject}`).digest('hex');
}
