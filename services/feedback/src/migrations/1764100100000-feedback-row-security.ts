import { dropRowSecuritySql, DROP_ROW_SECURITY_FUNCTIONS, ROW_SECURITY_FUNCTIONS, rowSecuritySql, tenantPolicy, type TablePolicy } from '@hub/core';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Answers and participations are written by answerers of other organisations (a participant of a
 * program answering the managing organisation's poll), so both their read and write wall is the
 * poll's: whoever may read the poll.
 */
const THROUGH_POLL = (table: string) => `EXISTS (SELECT 1 FROM poll p WHERE p.id = ${table}.poll_id AND p.organisation_id = ANY (hub_orgs()))`;

/** Denies the operation to every request role (the system scope still passes: `hub_is_system() OR …`). */
const NOBODY = 'false';

const POLICIES: TablePolicy[] = [
  tenantPolicy('poll'),
  // An answer, once given, is never changed or taken back by a request: insert only.
  { table: 'response', read: THROUGH_POLL('response'), insert: THROUGH_POLL('response'), update: NOBODY, delete: NOBODY },
  // Who answered: a hash is added by answering (INSERT … ON CONFLICT DO UPDATE), never removed
  // (no DELETE; an UPDATE may only add hashes, see the trigger below), and the row stays its poll's.
  { table: 'participation', read: THROUGH_POLL('participation'), insert: THROUGH_POLL('participation'), update: THROUGH_POLL('participation'), delete: NOBODY, owner: 'poll_id' },
];

/**
 * The hash set of a poll's participation only grows: removing a hash would let that person answer
 * again. For everyone, the system scope included.
 */
const APPEND_ONLY_PARTICIPATION = `
CREATE OR REPLACE FUNCTION feedback_participation_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (NEW.hashes @> OLD.hashes) THEN
    RAISE EXCEPTION 'who answered poll % can only be added to, never removed', OLD.poll_id USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER feedback_participation_append_only BEFORE UPDATE ON participation FOR EACH ROW EXECUTE FUNCTION feedback_participation_append_only();
`;

const DROP_APPEND_ONLY_PARTICIPATION = `
DROP TRIGGER IF EXISTS feedback_participation_append_only ON participation;
DROP FUNCTION IF EXISTS feedback_participation_append_only();
`;

/**
 * Row-level security on every table of the feedback subgraph (docs/access.md "The two walls"),
 * with answers insert-only and the participation hash sets append-only for request roles.
 */
export class FeedbackRowSecurity1764100100000 implements MigrationInterface {
  name = 'FeedbackRowSecurity1764100100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ROW_SECURITY_FUNCTIONS);
    await q.query(rowSecuritySql(POLICIES));
    await q.query(APPEND_ONLY_PARTICIPATION);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(DROP_APPEND_ONLY_PARTICIPATION);
    await q.query(dropRowSecuritySql(POLICIES.map((p) => p.table)));
    await q.query(DROP_ROW_SECURITY_FUNCTIONS);
  }
}
