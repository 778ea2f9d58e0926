import { dropRowSecuritySql, rowSecuritySql } from '@hub/core';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const ORG = `[a-z][a-z0-9-]{1,31}`;
const ULID = `[0-9A-HJKMNP-TV-Z]{26}`;
const ownedId = (kind: string) => `id ~ '^${ORG}\\.${kind}_${ULID}$' AND split_part(id, '.', 1) = organisation_id`;
const COM_ID = `'^${ORG}\\.com_${ULID}$'`;
const TIER = `'^[a-z][a-z0-9-]{0,31}$'`;

/** Readable: an item is seen where the organisation it was raised under, or the one owning its current forum, is in the wall. Never by participants. */
export const ITEM_READ = `hub_role() IS DISTINCT FROM 'participant' AND (organisation_id = ANY (hub_orgs()) OR forum_organisation_id = ANY (hub_orgs()))`;
/** Acting on an item: administrators of either organisation, or a facilitator who can read it (over the item aliased `a`, if given). */
export const itemWrite = (a = '') => `hub_role() IS DISTINCT FROM 'participant' AND (
  ${a}organisation_id = ANY (hub_write_orgs()) OR ${a}forum_organisation_id = ANY (hub_write_orgs())
  OR (hub_role() = 'facilitator' AND (${a}organisation_id = ANY (hub_orgs()) OR ${a}forum_organisation_id = ANY (hub_orgs()))))`;
export const ITEM_WRITE = itemWrite();

const TABLES = ['forum_item', 'forum_item_event', 'planned_engagement'];

/**
 * Issue 6 items 3–5: the three-tier forum loop, planned engagements, and the community tier level.
 * - community.tier_level: the level of the community's program tier (1 = top), kept here because
 *   the sessions subgraph never reads the partners subgraph; escalation goes one level up.
 * - forum_item: an item raised in a forum, owned by the organisation of the forum it was raised in
 *   (its ID prefix); forum_organisation_id is the owner of the forum it is in now.
 * - forum_item_event: its history, append-only for requests (no update, no delete).
 * - planned_engagement: an organisation's planned community engagements. Readable within the
 *   tenant wall, and by the administrators of organisations of the same program (partner admins,
 *   national managers), because overlap detection compares one partner's plans with another's; the
 *   resolvers show another partner only the fact of an overlap (docs/access.md).
 */
export class SessionsCopForums1765100000000 implements MigrationInterface {
  name = 'SessionsCopForums1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE community ADD COLUMN tier_level integer CHECK (tier_level BETWEEN 1 AND 9)`);
    await q.query(`
      CREATE TABLE forum_item (
        id text PRIMARY KEY CHECK (${ownedId('fit')}),
        organisation_id text NOT NULL,
        program_id text NOT NULL,
        raised_in_forum_id text NOT NULL CHECK (raised_in_forum_id ~ ${COM_ID}),
        forum_id text NOT NULL REFERENCES community(id),
        forum_organisation_id text NOT NULL CHECK (forum_organisation_id ~ '^${ORG}$' AND split_part(forum_id, '.', 1) = forum_organisation_id),
        tier text CHECK (tier ~ ${TIER}),
        tier_level integer CHECK (tier_level BETWEEN 1 AND 9),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
        raised_by text NOT NULL CHECK (length(raised_by) BETWEEN 1 AND 200),
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'ESCALATED', 'RESPONDED', 'CLOSED')),
        raised_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (split_part(raised_in_forum_id, '.', 1) = organisation_id)
      )`);
    await q.query(`CREATE INDEX forum_item_program ON forum_item(program_id, raised_at, id)`);
    await q.query(`CREATE INDEX forum_item_forum ON forum_item(forum_id, raised_at, id)`);
    await q.query(`
      CREATE TABLE forum_item_event (
        id text PRIMARY KEY CHECK (id ~ '^${ORG}\\.fie_${ULID}$'),
        item_id text NOT NULL REFERENCES forum_item(id),
        organisation_id text NOT NULL,
        forum_organisation_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('RAISED', 'ESCALATED', 'RESPONDED', 'RETURNED', 'CLOSED')),
        forum_id text NOT NULL CHECK (forum_id ~ ${COM_ID}),
        from_forum_id text CHECK (from_forum_id ~ ${COM_ID}),
        tier text CHECK (tier ~ ${TIER}),
        text text CHECK (length(text) <= 10000),
        decision text CHECK (length(decision) <= 2000),
        actor text NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
        at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX forum_item_event_item ON forum_item_event(item_id, at, id)`);
    await q.query(`CREATE INDEX forum_item_event_forum ON forum_item_event(forum_id, kind)`);
    await q.query(`
      CREATE TABLE planned_engagement (
        id text PRIMARY KEY CHECK (${ownedId('eng')}),
        organisation_id text NOT NULL,
        program_id text NOT NULL CHECK (program_id ~ '^${ORG}\\.prg_${ULID}$'),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        region_ids text[] NOT NULL CHECK (cardinality(region_ids) BETWEEN 1 AND 50 AND array_position(region_ids, NULL) IS NULL),
        audiences text[] NOT NULL CHECK (cardinality(audiences) BETWEEN 1 AND 20 AND array_position(audiences, NULL) IS NULL),
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_on >= starts_on)
      )`);
    await q.query(`CREATE INDEX planned_engagement_organisation ON planned_engagement(organisation_id, starts_on)`);
    await q.query(`CREATE INDEX planned_engagement_program ON planned_engagement(program_id, ends_on)`);
    await q.query(`CREATE INDEX planned_engagement_regions ON planned_engagement USING gin (region_ids)`);
    await q.query(
      rowSecuritySql([
        { table: 'forum_item', read: ITEM_READ, write: ITEM_WRITE, owner: 'organisation_id' },
        // append-only: requests insert history and never change or delete it
        { table: 'forum_item_event', read: ITEM_READ, write: 'false', insert: ITEM_WRITE },
        {
          table: 'planned_engagement',
          read: `organisation_id = ANY (hub_orgs()) OR (program_id = ANY (hub_programs()) AND hub_role() IN ('partner-admin', 'national-manager'))`,
          write: `organisation_id = ANY (hub_write_orgs()) AND hub_role() IN ('partner-admin', 'national-manager')`,
          owner: 'organisation_id',
        },
      ]),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(dropRowSecuritySql(TABLES));
    await q.query(`DROP TABLE planned_engagement`);
    await q.query(`DROP TABLE forum_item_event`);
    await q.query(`DROP TABLE forum_item`);
    await q.query(`ALTER TABLE community DROP COLUMN tier_level`);
  }
}
