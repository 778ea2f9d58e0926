import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One anonymous answer. It deliberately holds no identity, no link to a participation and no
 * timestamp: only the poll, the answer and the day (a time of day could be matched against
 * whoever was seen answering). An answer to a confidence pair's poll also carries the pair's
 * anonymous pairing code (pair-code.ts). Its ID is `<org>.rsp_<random>` (`newUntimedId` in @hub/core): unlike other record
 * IDs it carries no time and does not sort by creation, for the same reason.
 */
@Entity('response')
export class PollResponse {
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'poll_id' })
  pollId: string;

  /** Index into the poll's options (CHOICE polls). */
  @Column('integer', { nullable: true })
  choice: number | null;

  /** 1 to 5 (RATING polls). */
  @Column('integer', { nullable: true })
  rating: number | null;

  /** Free text (TEXT polls). */
  @Column('text', { nullable: true })
  text: string | null;

  /**
   * Answers to a confidence pair's polls only: SHA-256 of the pair and the pairing code the
   * participant's device sent (see pair-code.ts), the same on their before and after answers and
   * linking them to no person: nothing on the server side can derive it from the answerer.
   */
  @Column('text', { name: 'pair_code', nullable: true })
  pairCode: string | null;

  /** UTC day of the answer, YYYY-MM-DD; today when left out. */
  @Column('date', { name: 'submitted_on' })
  submittedOn: string;
}
