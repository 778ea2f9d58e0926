import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Facilitators are listed by `family_key`, `given_key`: their names in lower case, compared byte by
 * byte (collation "C"), then the ID, compared byte by byte too. Every deployment of the subgraph (the hub's and each partner
 * node's) then orders the same keys the same way whatever its server's locale, and the gateway,
 * comparing the keys its cursors carry by code point, merges their pages into one national list.
 */
export class FacilitatorNameKeys1767000100000 implements MigrationInterface {
  name = 'FacilitatorNameKeys1767000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE facilitator ADD COLUMN family_key text COLLATE "C" GENERATED ALWAYS AS (lower(family_name)) STORED`);
    await q.query(`ALTER TABLE facilitator ADD COLUMN given_key text COLLATE "C" GENERATED ALWAYS AS (lower(given_name)) STORED`);
    await q.query(`DROP INDEX facilitator_organisation_name`);
    await q.query(`DROP INDEX facilitator_name`);
    await q.query(`CREATE INDEX facilitator_organisation_name_key ON facilitator(organisation_id, family_key, given_key, id COLLATE "C")`);
    await q.query(`CREATE INDEX facilitator_name_key ON facilitator(family_key, given_key, id COLLATE "C")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX facilitator_name_key`);
    await q.query(`DROP INDEX facilitator_organisation_name_key`);
    await q.query(`ALTER TABLE facilitator DROP COLUMN given_key`);
    await q.query(`ALTER TABLE facilitator DROP COLUMN family_key`);
    await q.query(`CREATE INDEX facilitator_organisation_name ON facilitator(organisation_id, family_name, given_name, id)`);
    await q.query(`CREATE INDEX facilitator_name ON facilitator(family_name, given_name, id)`);
  }
}
