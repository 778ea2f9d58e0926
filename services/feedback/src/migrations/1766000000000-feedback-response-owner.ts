import { dropRowSecuritySql, rowSecuritySql, type TablePolicy } from '@hub/core';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const NOBODY = 'false';
const THROUGH_POLL = `EXISTS (SELECT 1 FROM poll p WHERE p.id = response.poll_id AND p.organisation_id = ANY (hub_orgs()))`;
const OWN_COLUMN = `organisation_id = ANY (hub_orgs())`;

const responsePolicy = (rule: string): TablePolicy => ({ table: 'response', read: rule, insert: rule, update: NOBODY, delete: NOBODY });

/**
 * An answer carries its poll's organisation as a column (the prefix of its ID, held equal to the
 * poll's owner by a foreign key), so row-level security reads it from the row, or from the index
 * entry, instead of looking the poll up for every answer: the national dashboard counts 200,000
 * answers at scale 10, and the per-answer poll lookup cost it half a second. The column tells no
 * more than the ID and the poll already did: every answer to a poll has the same value.
 */
export class FeedbackResponseOwner1766000000000 implements MigrationInterface {
  name = 'FeedbackResponseOwner1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE poll ADD CONSTRAINT poll_id_owner UNIQUE (id, organisation_id)`);
    await q.query(`ALTER TABLE response ADD COLUMN organisation_id text GENERATED ALWAYS AS (split_part(id, '.', 1)) STORED`);
    await q.query(
      `ALTER TABLE response ADD CONSTRAINT response_poll_owner FOREIGN KEY (poll_id, organisation_id) REFERENCES poll (id, organisation_id) ON DELETE CASCADE`,
    );
    await q.query(`DROP INDEX response_poll`);
    await q.query(`CREATE INDEX response_poll ON response (poll_id, submitted_on) INCLUDE (organisation_id)`);
    await q.query(dropRowSecuritySql(['response']));
    await q.query(rowSecuritySql([responsePolicy(OWN_COLUMN)]));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(dropRowSecuritySql(['response']));
    await q.query(rowSecuritySql([responsePolicy(THROUGH_POLL)]));
    await q.query(`DROP INDEX response_poll`);
    await q.query(`CREATE INDEX response_poll ON response (poll_id, submitted_on)`);
    await q.query(`ALTER TABLE response DROP CONSTRAINT response_poll_owner`);
    await q.query(`ALTER TABLE response DROP COLUMN organisation_id`);
    await q.query(`ALTER TABLE poll DROP CONSTRAINT poll_id_owner`);
  }
}
