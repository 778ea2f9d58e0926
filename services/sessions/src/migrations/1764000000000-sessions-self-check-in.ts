import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The attendance write rule of SessionsRowSecurity1763900000000: the tenant wall, or rostered on the session. */
const WRITE = `organisation_id = ANY (hub_write_orgs()) OR (organisation_id = ANY (hub_orgs()) AND hub_facilitates_session(session_id))`;

/**
 * `checkIn`: a facilitator checks itself in to any LIVE session it can read, e.g. a national
 * community of practice of the program's manager, where it is neither of the owning organisation
 * nor rostered. Inserting attendance is therefore also open to a facilitator within its read wall
 * (as writing an RSVP is); the resolver keeps it to the caller's own reference. Participants
 * already write within their read wall; updating and deleting attendance are unchanged.
 */
export class SessionsSelfCheckIn1764000000000 implements MigrationInterface {
  name = 'SessionsSelfCheckIn1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP POLICY hub_insert ON attendance`);
    await q.query(
      `CREATE POLICY hub_insert ON attendance FOR INSERT WITH CHECK (hub_is_system() OR (${WRITE}) OR (hub_role() = 'facilitator' AND organisation_id = ANY (hub_orgs())))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP POLICY hub_insert ON attendance`);
    await q.query(`CREATE POLICY hub_insert ON attendance FOR INSERT WITH CHECK (hub_is_system() OR (${WRITE}))`);
  }
}
