import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attendance counted per session with its owner in the index entry: row-level security checks
 * `organisation_id` on every attendance row it counts, and with the owner in the index that check
 * needs no visit to the table (an index-only scan). The national dashboard counts a million
 * attendance rows at scale 10.
 */
export class SessionsAttendanceOwnerIndex1766000000000 implements MigrationInterface {
  name = 'SessionsAttendanceOwnerIndex1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX attendance_session_owner ON attendance (session_id) INCLUDE (organisation_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX attendance_session_owner`);
  }
}
