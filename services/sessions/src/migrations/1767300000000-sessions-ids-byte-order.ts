import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions and forum items are listed by time, then ID, and so the gateway merges them across the
 * hub and partner nodes, comparing IDs by code point. Lists compare IDs byte by byte
 * (`id COLLATE "C"`: SESSION_ORDER, FORUM_ITEM_ORDER) on every deployment whatever its server's
 * locale (the docker image's, en_US.utf8, passes over the hyphens of organisation keys at first),
 * so a page ends where the merge ends it and the next neither skips nor repeats. The indexes that
 * order by ID order that way too.
 */
export class SessionsIdsByteOrder1767300000000 implements MigrationInterface {
  name = 'SessionsIdsByteOrder1767300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX session_community`);
    await q.query(`DROP INDEX session_starts`);
    await q.query(`DROP INDEX forum_item_program`);
    await q.query(`DROP INDEX forum_item_forum`);
    await q.query(`CREATE INDEX session_community ON session(community_id, starts_at, id COLLATE "C")`);
    await q.query(`CREATE INDEX session_starts ON session(starts_at, id COLLATE "C")`);
    await q.query(`CREATE INDEX forum_item_program ON forum_item(program_id, raised_at, id COLLATE "C")`);
    await q.query(`CREATE INDEX forum_item_forum ON forum_item(forum_id, raised_at, id COLLATE "C")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX session_community`);
    await q.query(`DROP INDEX session_starts`);
    await q.query(`DROP INDEX forum_item_program`);
    await q.query(`DROP INDEX forum_item_forum`);
    await q.query(`CREATE INDEX session_community ON session(community_id, starts_at, id)`);
    await q.query(`CREATE INDEX session_starts ON session(starts_at, id)`);
    await q.query(`CREATE INDEX forum_item_program ON forum_item(program_id, raised_at, id)`);
    await q.query(`CREATE INDEX forum_item_forum ON forum_item(forum_id, raised_at, id)`);
  }
}
