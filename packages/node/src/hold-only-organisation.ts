import type { DataSource } from 'typeorm';
import { CROSS_ORGANISATION_KEYS, ORGANISATION_TABLES, type NodeSubgraph } from './organisation-tables';

/** The name of the constraint a node puts on each of its tables. */
export const NODE_CONSTRAINT = 'partner_node_organisation';

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * The database-level guarantee that a node's database holds only its organisation's rows: a CHECK
 * constraint on every table, (re)validated over the existing rows at every start. A row of another
 * organisation, already there or written later by any role, is refused by PostgreSQL itself.
 * Runs as the tables' owner, after migrations. Foreign keys that may point at another
 * organisation's records (`CROSS_ORGANISATION_KEYS`) are dropped: such a record is not here.
 */
export async function holdOnlyOrganisation(owner: DataSource, subgraph: NodeSubgraph, organisation: string): Promise<void> {
  const known = new Set(ORGANISATION_TABLES[subgraph].map((t) => t.table));
  const tables = (await owner.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`)) as { tablename: string }[];
  const unknown = tables.map((t) => t.tablename).filter((t) => !known.has(t));
  if (unknown.length) {
    throw new Error(`${subgraph}: no rule says whose rows these tables hold, so the node cannot keep other organisations' rows out: ${unknown.join(', ')}`);
  }
  await owner.transaction(async (m) => {
    for (const { table, constraint } of CROSS_ORGANISATION_KEYS[subgraph]) await m.query(`ALTER TABLE "${table}" DROP CONSTRAINT IF EXISTS "${constraint}"`);
    for (const { table, owner: column } of ORGANISATION_TABLES[subgraph]) {
      try {
        await m.query(
          `ALTER TABLE "${table}" DROP CONSTRAINT IF EXISTS ${NODE_CONSTRAINT}, ADD CONSTRAINT ${NODE_CONSTRAINT} CHECK (${column} = ${literal(organisation)})`,
        );
      } catch (error) {
        if ((error as { code?: string }).code === '23514') {
          throw new Error(`${subgraph}: table ${table} holds rows of another organisation than ${organisation}; a node's database holds only its own`);
        }
        throw error;
      }
    }
  });
}
