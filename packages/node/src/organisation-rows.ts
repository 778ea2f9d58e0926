import type { DataSource, EntityManager } from 'typeorm';
import { ORGANISATION_TABLES, type NodeSubgraph } from './organisation-tables';

/** Per table, how many of an organisation's rows there are and a checksum of their contents. */
export type RowSummary = Record<string, { count: number; checksum: string }>;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Runs `work` as the hub itself (row-level security lets the system scope through), on the tables' owner. */
function asSystem<T>(owner: DataSource, work: (m: EntityManager) => Promise<T>): Promise<T> {
  return owner.transaction(async (m) => {
    await m.query(`SELECT set_config('hub.role', 'system', true)`);
    return work(m);
  });
}

/**
 * Counts and checksums an organisation's rows in one subgraph's database, table by table: equal
 * summaries on two databases mean the same rows with the same contents (the checksum is over each
 * row's text in a fixed order, generated columns included).
 */
export function summariseOrganisationRows(owner: DataSource, subgraph: NodeSubgraph, organisation: string): Promise<RowSummary> {
  return asSystem(owner, async (m) => {
    const summary: RowSummary = {};
    for (const { table, owner: column } of ORGANISATION_TABLES[subgraph]) {
      const [row] = (await m.query(
        `SELECT count(*)::int AS count, md5(COALESCE(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS checksum FROM ${ident(table)} t WHERE ${column} = $1`,
        [organisation],
      )) as { count: number; checksum: string }[];
      summary[table] = row;
    }
    return summary;
  });
}

/**
 * Copies an organisation's rows of one subgraph from one database to another, parents first, in
 * one transaction on the target (all or nothing). Generated columns are computed again by the
 * target. The target must hold none of them yet.
 */
export async function copyOrganisationRows(from: DataSource, to: DataSource, subgraph: NodeSubgraph, organisation: string): Promise<void> {
  const rows = await asSystem(from, async (m) => {
    const all: Record<string, unknown> = {};
    for (const { table, owner: column } of ORGANISATION_TABLES[subgraph]) {
      const [row] = (await m.query(`SELECT COALESCE(json_agg(t), '[]') AS rows FROM ${ident(table)} t WHERE ${column} = $1`, [organisation])) as { rows: unknown }[];
      all[table] = row.rows;
    }
    return all;
  });
  await asSystem(to, async (m) => {
    for (const { table } of ORGANISATION_TABLES[subgraph]) {
      const columns = (
        (await m.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`, [
          table,
        ])) as { column_name: string }[]
      )
        .map((c) => ident(c.column_name))
        .join(', ');
      await m.query(`INSERT INTO ${ident(table)} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${ident(table)}, $1::json)`, [JSON.stringify(rows[table])]);
    }
  });
}

/** Deletes an organisation's rows of one subgraph, children first, in one transaction. */
export async function deleteOrganisationRows(owner: DataSource, subgraph: NodeSubgraph, organisation: string): Promise<void> {
  await asSystem(owner, async (m) => {
    for (const { table, owner: column } of [...ORGANISATION_TABLES[subgraph]].reverse()) {
      await m.query(`DELETE FROM ${ident(table)} WHERE ${column} = $1`, [organisation]);
    }
  });
}
