import { dropRowSecuritySql, DROP_ROW_SECURITY_FUNCTIONS, ROW_SECURITY_FUNCTIONS, rowSecuritySql, tenantPolicy, type TablePolicy } from '@hub/core';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Answers and participations are written by answerers of other organisations (a participant of a
 * program answering the managing organisation's poll), so both their read and write wall is the
 * poll's: whoever may read the poll.
 */
const THROUGH_POLL = (table: string) => `EXISTS (SELECT 1 FROM poll p WHERE p.id = ${table}.poll_id AND p.organisation_id = ANY (hub_orgs()))`;

const POLICIES: TablePolicy[] = [
  tenantPolicy('poll'),
  { table: 'response', read: THROUGH_POLL('response') },
  { table: 'participation', read: THROUGH_POLL('participation') },
];

/** Row-level security on every table of the feedback subgraph (docs/access.md "The two walls"). */
export class FeedbackRowSecurity1764100100000 implements MigrationInterface {
  name = 'FeedbackRowSecurity1764100100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ROW_SECURITY_FUNCTIONS);
    await q.query(rowSecuritySql(POLICIES));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(dropRowSecuritySql(POLICIES.map((p) => p.table)));
    await q.query(DROP_ROW_SECURITY_FUNCTIONS);
  }
}
