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

/** Placeholders that ship in examples (docker-compose.yml's `change-me-to-a-long-random-secret`): known to everyone. */
const PLACEHOLDER = /change-me/i;

/** Refuses to run production on the published development secret, a placeholder or a short one. */
export function checkParticipationSecret(env: Record<string, string | undefined> = process.env): void {
  const secret = env.FEEDBACK_PARTICIPATION_SECRET;
  if (secret && secret.length < 16) throw new ConfigError('Invalid configuration:\n  FEEDBACK_PARTICIPATION_SECRET: must be at least 16 characters');
  if (env.NODE_ENV !== 'production') return;
  if (!secret) throw new ConfigError('Missing configuration: set FEEDBACK_PARTICIPATION_SECRET');
  if (PLACEHOLDER.test(secret) || secret === DEV_PARTICIPATION_SECRET) {
    throw new ConfigError(
      'Invalid configuration:\n  FEEDBACK_PARTICIPATION_SECRET: is a published example value (it contains "change-me", or is the development secret); ' +
        'set it to a long random secret of your own in production',
    );
  }
}

/** Hex HMAC-SHA256 of `<pollId>:<subject>` (the answerer, the token's subject): per poll, so hashes of one person differ between polls. */
export function participantHash(pollId: string, subject: string, secret = participationSecret()): string {
  return createHmac('sha256', secret).update(`${pollId}:${subject}`).digest('hex');
}
