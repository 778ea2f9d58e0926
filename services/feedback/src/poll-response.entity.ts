import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One anonymous answer. It deliberately holds no identity, no link to a participation and no
 * timestamp: only the poll, the answer and the day (a time of day could be matched against
 * whoever was seen answering). Its ID is `<org>.rsp_<random>` (`newUntimedId` in @hub/core): unlike other record
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

  /** UTC day of the answer, YYYY-MM-DD; today when left out. */
  @Column('date', { name: 'submitted_on' })
  submittedOn: string;
}
