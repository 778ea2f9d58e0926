import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * An organisation's planned community engagement (DESIGN.md "sessions"): where, for whom and when,
 * so that overlapping engagements of different organisations are found before they happen. Shown
 * through `EngagementPlan` (engagement.resolver.ts), which withholds what the caller may not see.
 */
@Entity('planned_engagement')
export class PlannedEngagement {
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'organisation_id' })
  organisationId: string;

  @Column('text', { name: 'program_id' })
  programId: string;

  @Column('text')
  title: string;

  @Column('text', { name: 'region_ids', array: true })
  regionIds: string[];

  /** Kept trimmed and in lower case, so that `Parents` and `parents ` are the same audience. */
  @Column('text', { array: true })
  audiences: string[];

  @Column('date', { name: 'starts_on' })
  startsOn: string;

  @Column('date', { name: 'ends_on' })
  endsOn: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
