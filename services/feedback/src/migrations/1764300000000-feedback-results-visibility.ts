import type { MigrationInterface, QueryRunner } from 'typeorm';

/** When a poll's results may be seen: LIVE (while open, as before) or AFTER_CLOSE. Existing polls stay LIVE. */
export class FeedbackResultsVisibility1764300000000 implements MigrationInterface {
  name = 'FeedbackResultsVisibility1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE poll ADD COLUMN results_visibility text NOT NULL DEFAULT 'LIVE' CONSTRAINT poll_results_visibility_check CHECK (results_visibility IN ('LIVE', 'AFTER_CLOSE'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE poll DROP COLUMN results_visibility`);
  }
}
