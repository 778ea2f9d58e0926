import type { MigrationInterface, QueryRunner } from 'typeorm';

const INDEXES: [string, string, string][] = [
  ['poll_session', 'session_id', 'WHERE session_id IS NOT NULL'],
  ['poll_community', 'community_id', 'WHERE community_id IS NOT NULL'],
  ['poll_organisation', 'organisation_id', ''],
  ['poll_program', 'program_id', ''],
];

/**
 * Polls are listed newest first, then by ID, and so the gateway merges them across the hub and
 * partner nodes, comparing IDs by code point. Lists compare IDs byte by byte (`id COLLATE "C"`:
 * POLL_ORDER) on every deployment whatever its server's locale, so paging across deployments
 * neither skips nor repeats (as sessions and forum items: sessions migration 1767300000000). The
 * indexes that order by ID order that way too.
 */
export class FeedbackIdsByteOrder1767300000000 implements MigrationInterface {
  name = 'FeedbackIdsByteOrder1767300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [name, column, where] of INDEXES) {
      await q.query(`DROP INDEX ${name}`);
      await q.query(`CREATE INDEX ${name} ON poll(${column}, created_at DESC, id COLLATE "C" DESC) ${where}`);
    }
    await q.query(`DROP INDEX poll_created`);
    await q.query(`CREATE INDEX poll_created ON poll(created_at DESC, id COLLATE "C" DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [name, column, where] of INDEXES) {
      await q.query(`DROP INDEX ${name}`);
      await q.query(`CREATE INDEX ${name} ON poll(${column}, created_at DESC, id DESC) ${where}`);
    }
    await q.query(`DROP INDEX poll_created`);
    await q.query(`CREATE INDEX poll_created ON poll(created_at DESC, id DESC)`);
  }
}
