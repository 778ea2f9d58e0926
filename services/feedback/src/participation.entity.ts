import { Entity, PrimaryColumn } from 'typeorm';

/**
 * Who has answered a poll, kept apart from what they answered: a keyed hash of the participant
 * reference per poll, so a second answer is refused without any way to find the first one.
 */
@Entity('participation')
export class Participation {
  @PrimaryColumn('text', { name: 'poll_id' })
  pollId: string;

  /** Hex HMAC-SHA256 of `<pollId>:<participantRef>` (see participant-hash.ts). */
  @PrimaryColumn('text', { name: 'participant_hash' })
  participantHash: string;
}
