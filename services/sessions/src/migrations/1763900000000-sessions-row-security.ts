import { dropRowSecuritySql, DROP_ROW_SECURITY_FUNCTIONS, ROW_SECURITY_FUNCTIONS, rowSecuritySql, tenantPolicy } from '@hub/core';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Is the caller's facilitator record one of `p_session`'s facilitators? PL/pgSQL, so that it is
 * never inlined: the session policy calls it, and the session_facilitator policy it reads looks at
 * session in turn, which inlined would be a policy recursion. Its query runs under the caller's
 * row-level security like any other.
 */
const FACILITATES = `
CREATE OR REPLACE FUNCTION hub_facilitates_session(p_session text) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN hub_facilitator() IS NOT NULL AND EXISTS (
    SELECT 1 FROM session_facilitator sf WHERE sf.session_id = p_session AND sf.facilitator_id = hub_facilitator()
  );
END
$$;
`;

/** Within the wall and rostered on the session: a facilitator may run a session of another organisation it can read. */
const FACILITATOR_OF = (organisationColumn: string, sessionColumn: string) =>
  `${organisationColumn} = ANY (hub_orgs()) AND hub_facilitates_session(${sessionColumn})`;

const TABLES = ['community', 'session', 'session_facilitator', 'rsvp', 'attendance'];

/**
 * Row-level security on every table of the sessions subgraph (docs/access.md "The two walls").
 * - community: the tenant wall.
 * - session, attendance: the tenant wall; a session's facilitators may also change it (start, phase,
 *   end) and record its attendance when it belongs to another organisation they can read.
 * - session_facilitator: through its session (whose own policy filters the EXISTS).
 * - rsvp: readable within the wall; a participant or facilitator writes only its own RSVP (its
 *   token's subject), into any session it can read.
 * - attendance: besides the above, a participant or facilitator checks itself in (its own subject)
 *   to any session it can read, e.g. a national community of practice of the program's manager.
 */
export class SessionsRowSecurity1763900000000 implements MigrationInterface {
  name = 'SessionsRowSecurity1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ROW_SECURITY_FUNCTIONS);
    await q.query(FACILITATES);
    const community = tenantPolicy('community');
    const session = tenantPolicy('session');
    const attendance = tenantPolicy('attendance');
    await q.query(
      rowSecuritySql([
        community,
        { ...session, write: `(${session.write}) OR (${FACILITATOR_OF('organisation_id', 'id')})` },
        {
          table: 'session_facilitator',
          read: `EXISTS (SELECT 1 FROM session s WHERE s.id = session_facilitator.session_id)`,
          write: `EXISTS (SELECT 1 FROM session s WHERE s.id = session_facilitator.session_id AND s.organisation_id = ANY (hub_write_orgs()))`,
        },
        { ...tenantPolicy('rsvp'), write: `organisation_id = ANY (hub_orgs()) AND participant_ref = hub_subject()` },
        {
          ...attendance,
          write: `(${attendance.write}) OR (${FACILITATOR_OF('organisation_id', 'session_id')})`,
          insert: `(${attendance.write}) OR (${FACILITATOR_OF('organisation_id', 'session_id')})
            OR (hub_role() IN ('participant', 'facilitator') AND organisation_id = ANY (hub_orgs()) AND attendee_ref = hub_subject())`,
        },
      ]),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(dropRowSecuritySql(TABLES));
    await q.query(`DROP FUNCTION IF EXISTS hub_facilitates_session(text)`);
    await q.query(DROP_ROW_SECURITY_FUNCTIONS);
  }
}
