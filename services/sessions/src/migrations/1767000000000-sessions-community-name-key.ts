import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Communities are listed by `name_key`: the name in lower case, compared byte by byte (collation
 * "C"), then the ID, compared byte by byte too. Every deployment of the subgraph (the hub's and each partner node's) then
 * orders the same keys the same way whatever its server's locale, and the gateway, comparing the
 * keys its cursors carry by code point, merges their pages into one national list in that order.
 */
export class SessionsCommunityNameKey1767000000000 implements MigrationInterface {
  name = 'SessionsCommunityNameKey1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE community ADD COLUMN name_key text COLLATE "C" GENERATED ALWAYS AS (lower(name)) STORED`);
    await q.query(`DROP INDEX community_name`);
    await q.query(`CREATE INDEX community_name_key ON community(name_key, id COLLATE "C")`);
    await q.query(`CREATE INDEX community_program_name_key ON community(program_id, name_key, id COLLATE "C")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX community_program_name_key`);
    await q.query(`DROP INDEX community_name_key`);
    await q.query(`ALTER TABLE community DROP COLUMN name_key`);
    await q.query(`CREATE INDEX community_name ON community(name, id)`);
  }
}
