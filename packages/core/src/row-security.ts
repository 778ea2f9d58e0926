/**
 * Row-level security, the second wall behind each resolver's own checks (DESIGN.md "Access").
 * Requests run as a role that owns no table, inside a transaction whose settings are the caller's
 * scope (scoped-transaction.ts); these functions read them back, and the policies below use them.
 * Every setting is transaction-local, so an unset one means "nothing": a query outside a scoped
 * transaction sees no rows at all.
 */
export const ROW_SECURITY_FUNCTIONS = `
CREATE OR REPLACE FUNCTION hub_setting_list(name text) RETURNS text[] LANGUAGE sql STABLE AS $$
  SELECT COALESCE(string_to_array(NULLIF(current_setting(name, true), ''), ','), '{}'::text[])
$$;
CREATE OR REPLACE FUNCTION hub_is_system() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT COALESCE(current_setting('hub.role', true), '') = 'system'
$$;
CREATE OR REPLACE FUNCTION hub_role() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT NULLIF(current_setting('hub.role', true), '')
$$;
CREATE OR REPLACE FUNCTION hub_org() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT NULLIF(current_setting('hub.org', true), '')
$$;
CREATE OR REPLACE FUNCTION hub_subject() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT NULLIF(current_setting('hub.subject', true), '')
$$;
CREATE OR REPLACE FUNCTION hub_facilitator() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT NULLIF(current_setting('hub.facilitator', true), '')
$$;
CREATE OR REPLACE FUNCTION hub_keep_owner() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF to_jsonb(NEW) -> TG_ARGV[0] IS DISTINCT FROM to_jsonb(OLD) -> TG_ARGV[0] THEN
    RAISE EXCEPTION 'the owner of a % record cannot change', TG_TABLE_NAME USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$$;
CREATE OR REPLACE FUNCTION hub_set(name text) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT COALESCE(jsonb_object_agg(k, true), '{}'::jsonb) FROM unnest(hub_setting_list(name)) k
$$;
CREATE OR REPLACE FUNCTION hub_orgs() RETURNS text[] LANGUAGE sql STABLE AS $$ SELECT hub_setting_list('hub.orgs') $$;
CREATE OR REPLACE FUNCTION hub_write_orgs() RETURNS text[] LANGUAGE sql STABLE AS $$ SELECT hub_setting_list('hub.write_orgs') $$;
CREATE OR REPLACE FUNCTION hub_programs() RETURNS text[] LANGUAGE sql STABLE AS $$ SELECT hub_setting_list('hub.programs') $$;
`;

export const DROP_ROW_SECURITY_FUNCTIONS = `
DROP FUNCTION IF EXISTS hub_keep_owner() CASCADE;
DROP FUNCTION IF EXISTS hub_orgs(), hub_write_orgs(), hub_programs(), hub_org(), hub_subject(), hub_facilitator(), hub_role(), hub_is_system(), hub_set(text), hub_setting_list(text);
`;

export interface TablePolicy {
  table: string;
  /** Who may read a row (SQL boolean over the row). The system scope always may. */
  read: string;
  /** Who may insert a row, update a row (before and after) or delete it. Default: `read`. */
  write?: string;
  /** Where inserting, updating (the row after) or deleting differs from `write`. */
  insert?: string;
  update?: string;
  delete?: string;
  /** The column naming the row's owner: no update may change it, so nobody moves a row it can read into its own. */
  owner?: string;
}

/** The usual tenant wall: rows of the caller's readable organisations; writes into its own. */
export function tenantPolicy(table: string, column = 'organisation_id'): TablePolicy {
  return { table, read: `${column} = ANY (hub_orgs())`, write: `${column} = ANY (hub_write_orgs())`, owner: column };
}

const SCOPE_CALL = /\bhub_(is_system|role|org|subject|facilitator|orgs|write_orgs|programs)\(\)/g;
const ARRAY_SETTINGS = new Set(['orgs', 'write_orgs', 'programs']);

const MEMBERSHIP = /(\b[a-z_][a-z_.]*) = ANY ?\(hub_(orgs|write_orgs|programs)\(\)\)/g;

/**
 * Each scope function as an uncorrelated subquery, which PostgreSQL evaluates once per statement
 * (an InitPlan) instead of once per row; and `x = ANY (hub_orgs())` as a key lookup in a jsonb
 * object built once (`?` searches its sorted keys), instead of a scan of the whole list for every
 * row. A national manager's scope lists every partner: at scale 10 the two together turn seconds
 * into milliseconds per query.
 */
export function oncePerStatement(sql: string): string {
  return sql
    .replace(MEMBERSHIP, (_match, column: string, name: string) => `(SELECT hub_set('hub.${name}')) ? ${column}`)
    .replace(SCOPE_CALL, (call, name: string) => (ARRAY_SETTINGS.has(name) ? `((SELECT ${call})::text[])` : `(SELECT ${call})`));
}

/** SQL enabling and forcing row-level security on each table with its read and write policies. */
export function rowSecuritySql(policies: TablePolicy[]): string {
  return policies
    .map(({ table, read, write = read, insert = write, update = write, delete: remove = write, owner }) => {
      const rule = (sql: string) => oncePerStatement(`hub_is_system() OR (${sql})`);
      // USING is the read rule because row locks (SELECT … FOR SHARE/UPDATE) use it: an answerer
      // locks the poll it answers. The row after the update must pass the write rule, and its
      // owner cannot change, so a readable row of another organisation stays out of reach.
      return `
ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY;
CREATE POLICY hub_read ON "${table}" FOR SELECT USING (${rule(read)});
CREATE POLICY hub_insert ON "${table}" FOR INSERT WITH CHECK (${rule(insert)});
CREATE POLICY hub_update ON "${table}" FOR UPDATE USING (${rule(read)}) WITH CHECK (${rule(update)});
CREATE POLICY hub_delete ON "${table}" FOR DELETE USING (${rule(remove)});${
        owner ? `\nCREATE TRIGGER hub_keep_owner BEFORE UPDATE ON "${table}" FOR EACH ROW EXECUTE FUNCTION hub_keep_owner('${owner}');` : ''
      }`;
    })
    .join('\n');
}

/** The reverse of `rowSecuritySql`, for a migration's `down`. */
export function dropRowSecuritySql(tables: string[]): string {
  return tables
    .map(
      (t) => `
DROP POLICY IF EXISTS hub_read ON "${t}"; DROP POLICY IF EXISTS hub_insert ON "${t}";
DROP POLICY IF EXISTS hub_update ON "${t}"; DROP POLICY IF EXISTS hub_delete ON "${t}";
DROP TRIGGER IF EXISTS hub_keep_owner ON "${t}";
ALTER TABLE "${t}" NO FORCE ROW LEVEL SECURITY; ALTER TABLE "${t}" DISABLE ROW LEVEL SECURITY;`,
    )
    .join('\n');
}
