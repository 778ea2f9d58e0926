import type { Hub } from '@hub/hub';

/**
 * A checksum of every row of every table in each subgraph's database, read as the table owner:
 * equal snapshots before and after prove that a request changed nothing anywhere.
 */
export async function snapshotDatabases(hub: Pick<Hub, 'subgraphs'>): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const [name, subgraph] of Object.entries(hub.subgraphs)) {
    const tables = (await subgraph.dataSource.query(
      `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY 1`,
    )) as { t: string }[];
    for (const { t } of tables) {
      const [row] = (await subgraph.dataSource.query(`SELECT count(*)::int AS n, md5(COALESCE(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${t}" x`)) as {
        n: number;
        h: string;
      }[];
      result[`${name}.${t}`] = `${row.n}:${row.h}`;
    }
  }
  return result;
}
