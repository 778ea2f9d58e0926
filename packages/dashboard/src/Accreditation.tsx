import { useMemo } from 'react';
import { Bars, COLOURS } from './Chart';
import { useAllPages } from './paging';
import { Problem } from './Problem';
import { Table } from './Table';

const FACILITATORS = `query DashboardAccreditation($after: String) {
  facilitators(filter: { status: ACTIVE }, first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id accreditation organisation { id } }
  }
}`;

export const LEVELS = ['FOUNDATION', 'PRACTITIONER', 'ADVANCED', 'TRAINER'] as const;
const NONE = 'none current';

interface Facilitator {
  id: string;
  accreditation: string | null;
  organisation: { id: string } | null;
}
type Row = { id: string; name: string; total: number } & Record<string, number | string>;

/** Active facilitators of each delivery partner by their highest current accreditation. */
export function Accreditation({ partners }: { partners: { id: string; name: string }[] }) {
  const all = useAllPages<Facilitator>(FACILITATORS, {}, (d) => d.facilitators);
  // counts from some of the pages would be wrong, not partial: nothing until every page is in
  const complete = !all.fetching && !all.error;
  const rows: Row[] = useMemo(
    () =>
      (complete ? partners : []).map((p) => {
        const row: Row = { id: p.id, name: p.name, total: 0, [NONE]: 0, ...Object.fromEntries(LEVELS.map((l) => [l, 0])) };
        for (const f of all.nodes) {
          if (f.organisation?.id !== p.id) continue;
          const level = f.accreditation ?? NONE;
          row[level] = (row[level] as number) + 1;
          row.total += 1;
        }
        return row;
      }),
    [complete, partners, all.nodes],
  );
  const keys = [...LEVELS, NONE];
  return (
    <section data-view="accreditation">
      <h3>Facilitators and their accreditation</h3>
      <Problem error={all.error} />
      {complete ? (
        <Bars
          label="Active facilitators by accreditation per partner"
          data={rows}
          x="name"
          slanted
          series={keys.map((k, i) => ({ key: k, name: k.toLowerCase(), colour: COLOURS[i], stack: 'facilitators' }))}
        />
      ) : null}
      <Table
        name="Accreditation"
        columns={[
          { label: 'Partner', text: (r: Row) => r.name },
          ...keys.map((k) => ({ label: k === NONE ? 'None current' : k[0] + k.slice(1).toLowerCase(), text: (r: Row) => String(r[k]), sort: (r: Row) => r[k] as number, numeric: true })),
          { label: 'Active facilitators', text: (r: Row) => String(r.total), sort: (r: Row) => r.total, numeric: true },
        ]}
        rows={rows}
        rowKey={(r) => r.id}
        empty={all.error ? 'Unavailable right now.' : 'No delivery partners.'}
        loading={all.fetching && { total: all.totalCount }}
      />
    </section>
  );
}
