import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Who facilitates a session. Facilitation rotates, so every session has its own list. */
@Entity('session_facilitator')
export class SessionFacilitator {
  @PrimaryColumn('text', { name: 'session_id' })
  sessionId: string;

  @PrimaryColumn('text', { name: 'facilitator_id' })
  facilitatorId: string;

  /** Order in which the facilitators were given (the first one leads). */
  @Column('integer')
  position: number;
}
