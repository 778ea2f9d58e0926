import { dropRowSecuritySql, rowSecuritySql } from '@hub/core';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ITEM_READ, ITEM_WRITE, itemWrite } from './1765100000000-sessions-cop-forums';

/**
 * Who may take a step with a forum item: those who may act on it where it is before the step
 * (ITEM_WRITE over the item, whose history records the step first: STEP_INSERT), and they may then
 * leave it where that step, theirs, in this transaction, puts it (ITEM_UPDATE). Returning an item down its path puts it in another organisation's forum
 * (the national forum's people send a partner's item back to the partner's forum), which the row
 * after the step no longer shows; its history does.
 */
const STEP_INSERT = `EXISTS (SELECT 1 FROM forum_item i WHERE i.id = forum_item_event.item_id AND i.organisation_id = forum_item_event.organisation_id AND (${itemWrite('i.')}))`;
const ITEM_UPDATE = `${ITEM_WRITE} OR (hub_role() IS DISTINCT FROM 'participant' AND EXISTS (
  SELECT 1 FROM forum_item_event e WHERE e.item_id = forum_item.id AND e.actor = hub_subject() AND e.at >= now()
    AND e.forum_id = forum_item.forum_id AND e.forum_organisation_id = forum_item.forum_organisation_id))`;

/**
 * A forum item refers to the forum it is in by ID, without a foreign key. The item lives with the
 * organisation of the forum it was raised in; escalated, it sits in a forum of another
 * organisation, which may keep its records on a partner node while the item's organisation is
 * hub-hosted, or the other way round (docs/partner-nodes.md). As between subgraphs, the reference
 * is checked when it is made (the forum must exist and be readable: forum.resolver.ts), and a
 * gateway fills the forum in from wherever it is held.
 */
export class SessionsForumReferences1767200000000 implements MigrationInterface {
  name = 'SessionsForumReferences1767200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE forum_item DROP CONSTRAINT forum_item_forum_id_fkey`);
    await q.query(`ALTER TABLE forum_item ADD CONSTRAINT forum_item_forum_id_check CHECK (forum_id ~ '^[a-z][a-z0-9-]{1,31}\\.com_[0-9A-HJKMNP-TV-Z]{26}$')`);
    // a step's forum belongs to the organisation it names, as the item's does (the row-level security above relies on both)
    await q.query(`ALTER TABLE forum_item_event ADD CONSTRAINT forum_item_event_forum_owner CHECK (split_part(forum_id, '.', 1) = forum_organisation_id)`);
    await q.query(dropRowSecuritySql(['forum_item', 'forum_item_event']));
    await q.query(
      rowSecuritySql([
        { table: 'forum_item', read: ITEM_READ, write: ITEM_WRITE, update: ITEM_UPDATE, owner: 'organisation_id' },
        { table: 'forum_item_event', read: ITEM_READ, write: 'false', insert: STEP_INSERT },
      ]),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(dropRowSecuritySql(['forum_item', 'forum_item_event']));
    await q.query(
      rowSecuritySql([
        { table: 'forum_item', read: ITEM_READ, write: ITEM_WRITE, owner: 'organisation_id' },
        { table: 'forum_item_event', read: ITEM_READ, write: 'false', insert: ITEM_WRITE },
      ]),
    );
    await q.query(`ALTER TABLE forum_item_event DROP CONSTRAINT forum_item_event_forum_owner`);
    await q.query(`ALTER TABLE forum_item DROP CONSTRAINT forum_item_forum_id_check`);
    await q.query(`ALTER TABLE forum_item ADD CONSTRAINT forum_item_forum_id_fkey FOREIGN KEY (forum_id) REFERENCES community(id)`);
  }
}
