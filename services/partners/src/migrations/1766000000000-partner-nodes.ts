import { dropRowSecuritySql, rowSecuritySql, type TablePolicy } from '@hub/core';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who administers an organisation's node: the national manager of a program it delivers (its
 * readable organisations are the program's partners) and the organisation's own partner admins.
 */
const NODE_ADMINS = `(hub_role() = 'national-manager' AND organisation_id = ANY (hub_orgs())) OR (organisation_id = hub_org() AND hub_role() = 'partner-admin')`;

const POLICIES: TablePolicy[] = [
  { table: 'partner_node', read: NODE_ADMINS, write: NODE_ADMINS, owner: 'organisation_id' },
  // the audit trail is written once per change and never changed or removed by a request
  { table: 'partner_node_change', read: NODE_ADMINS, insert: NODE_ADMINS, update: 'false', delete: 'false' },
];

/** For everyone, the table owner and the system scope included. */
const APPEND_ONLY_AUDIT = `
CREATE OR REPLACE FUNCTION partners_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the partner node audit trail is append-only' USING ERRCODE = '42501';
END
$$;
CREATE TRIGGER partner_node_change_append_only BEFORE UPDATE OR DELETE ON partner_node_change
  FOR EACH ROW EXECUTE FUNCTION partners_audit_append_only();
`;

/**
 * The registry of partner nodes (docs/partner-nodes.md): per organisation, whether its records are
 * hosted by the hub or by its own node, the node's endpoints, the hub key it trusts and the time
 * the gateway gives it; with an append-only trail of every change.
 */
export class PartnerNodes1766000000000 implements MigrationInterface {
  name = 'PartnerNodes1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE partner_node (
        organisation_id text PRIMARY KEY REFERENCES organisation(id),
        hosting text NOT NULL CHECK (hosting IN ('HUB', 'NODE')),
        status text NOT NULL CHECK (status IN ('ACTIVE', 'RETIRED')),
        endpoints jsonb NOT NULL CHECK (jsonb_typeof(endpoints) = 'array'),
        hub_key_fingerprint text NOT NULL CHECK (hub_key_fingerprint ~ '^sha256:[A-Za-z0-9_-]{43}$'),
        time_budget_ms integer NOT NULL DEFAULT 3000 CHECK (time_budget_ms BETWEEN 100 AND 60000),
        registered_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- a retired node hosts nothing
        CONSTRAINT partner_node_retired_hosts_nothing CHECK (hosting = 'HUB' OR status = 'ACTIVE')
      )`);
    await q.query(`
      CREATE TABLE partner_node_change (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id text NOT NULL REFERENCES organisation(id),
        action text NOT NULL CHECK (action IN ('REGISTER', 'MOVE', 'RETIRE')),
        changed_by text NOT NULL,
        changed_by_role text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        before jsonb,
        after jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX partner_node_change_organisation ON partner_node_change(organisation_id, changed_at)`);
    await q.query(rowSecuritySql(POLICIES));
    await q.query(APPEND_ONLY_AUDIT);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS partner_node_change_append_only ON partner_node_change`);
    await q.query(`DROP FUNCTION IF EXISTS partners_audit_append_only()`);
    await q.query(dropRowSecuritySql(POLICIES.map((p) => p.table)));
    await q.query(`DROP TABLE partner_node_change`);
    await q.query(`DROP TABLE partner_node`);
  }
}
