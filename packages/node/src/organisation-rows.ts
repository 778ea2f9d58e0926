import type { DataSource, EntityManager } from 'typeorm';
import { ORGANISATION_TABLES, type NodeSubgraph } from './organisation-tables';

/** Per table, how many of an organisation's rows there are and a checksum of their contents. */
export type RowSummary = Record<string, { count: number; checksum: string }>;

/** An organisation's rows of one subgraph, per table, as JSON. */
export type OrganisationRows = Record<string, unknown[]>;

export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Lets `m`'s transaction through row-level security as the hub itself (the system scope). */
export async function actAsSystem(m: EntityManager): Promise<void> {
  await m.query(`SELECT set_config('hub.role', 'system', true)`);
}

/** Runs `work` in one transaction as the hub itself, on the tables' owner. */
export function asSystem<T>(owner: DataSource, work: (m: EntityManager) => Promise<T>): Promise<T> {
  return owner.transaction(async (m) => {
    await actAsSystem(m);
    return work(m);
  });
}

/**
 * Counts and checksums an organisation's rows in one subgraph's database, table by table: equal
 * summaries on two databases mean the same rows with the same contents (the checksum is over each
 * row's text in a fixed order, generated columns included).
 */
export async function summariseRows(m: EntityManager, subgraph: NodeSubgraph, organisation: string): Promise<RowSummary> {
  const summary: RowSummary = {};
  for (const { table, owner } of ORGANISATION_TABLES[subgraph]) {
    const [row] = (await m.query(
      `SELECT count(*)::int AS count, md5(COALESCE(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS checksum FROM ${ident(table)} t WHERE ${owner} = $1`,
      [organisation],
    )) as { count: number; checksum: string }[];
    summary[table] = row;
  }
  return summary;
}

export async function readRows(m: EntityManager, subgraph: NodeSubgraph, organisation: string): Promise<OrganisationRows> {
  const rows: OrganisationRows = {};
  for (const { table, owner } of ORGANISATION_TABLES[subgraph]) {
    const [row] = (await m.query(`SELECT COALESCE(json_agg(t), '[]') AS rows FROM ${ident(table)} t WHERE ${owner} = $1`, [organisation])) as { rows: unknown[] }[];
    rows[table] = row.rows;
  }
  return rows;
}

/** Inserts rows read by `readRows`, parents first; generated columns are computed again. */
export async function insertRows(m: EntityManager, subgraph: NodeSubgraph, rows: OrganisationRows): Promise<void> {
  for (const { table } of ORGANISATION_TABLES[subgraph]) {
    const columns = (
      (await m.query(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
        [table],
      )) as { column_name: string }[]
    )
      .map((c) => ident(c.column_name))
      .join(', ');
    await m.query(`INSERT INTO ${ident(table)} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${ident(table)}, $1::json)`, [JSON.stringify(rows[table])]);
  }
}

/** Deletes an organisation's rows, children first. */
export async function deleteRows(m: EntityManager, subgraph: NodeSubgraph, organisation: string): Promise<void> {
  for (const { table, owner } of [...ORGANISATION_TABLES[subgraph]].reverse()) {
    await m.query(`DELETE FROM ${ident(table)} WHERE ${owner} = $1`, [organisation]);
  }
}

export function summariseOrganisationRows(owner: DataSource, subgraph: NodeSubgraph, organisation: string): Promise<RowSummary> {
  return asSystem(owner, (m) => summariseRows(m, subgraph, organisation));
}

/** Copies an organisation's rows of one subgraph to another database, all or nothing on the target. */
export async function copyOrganisationRows(from: DataSource, to: DataSource, subgraph: NodeSubgraph, organisation: string): Promise<void> {
  const rows = await asSystem(from, (m) => readRows(m, subgraph, organisation));
  await asSystem(to, (m) => insertRows(m, subgraph, rows));
}
