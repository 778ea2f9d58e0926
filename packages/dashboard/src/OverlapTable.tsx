import { Table } from './Table';

export interface Overlap {
  id: string;
  organisations: ({ id: string; name: string } | null)[];
  regions: { id: string; name: string }[];
  audiences: string[] | null;
  startsOn: string;
  endsOn: string;
}

/** Plans of different organisations meeting the same regions and audiences at the same time. */
export function OverlapTable({ overlaps }: { overlaps: Overlap[] }) {
  return (
    <Table
      name="Engagement overlaps"
      columns={[
        { label: 'Organisations', text: (r: Overlap) => r.organisations.map((o) => o?.name ?? 'withheld').join(' + ') },
        { label: 'Regions', text: (r) => r.regions.map((x) => x.name).join(', ') },
        { label: 'Audiences', text: (r) => (r.audiences ? r.audiences.join(', ') : 'withheld') },
        { label: 'From', text: (r) => r.startsOn },
        { label: 'To', text: (r) => r.endsOn },
      ]}
      rows={overlaps}
      rowKey={(r) => r.id}
      empty="No overlapping engagements."
    />
  );
}
