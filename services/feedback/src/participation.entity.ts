import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Who has answered a poll, kept apart from what they answered: one row per poll holding the keyed
 * hashes of everyone who answered it, in sorted order. A second answer is refused without any way
 * to find the first one, and since the hashes are neither rows of their own nor kept in the order
 * they came in, neither row order nor transaction IDs pair an answerer with an answer.
 */
@Entity('participation')
export class Participation {
  @PrimaryColumn('text', { name: 'poll_id' })
  pollId: string;

  /** Hex HMAC-SHA256 of `<pollId>:<subject>` (see participant-hash.ts) of each answerer, sorted. */
  @Column('text', { array: true })
  hashes: string[];
}
