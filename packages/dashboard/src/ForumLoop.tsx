import { useQuery } from 'urql';
import { Bars } from './Chart';
import { dateTime } from './format';
import { useAllPages } from './paging';
import { Problem } from './Problem';
import { Table } from './Table';

const SUMMARY = `query DashboardLoop($p: ID!) {
  program(id: $p) {
    id name
    tiers { key name level }
    forumSummary { tier tierLevel openItems responses averageDaysToResponse }
  }
}`;

const ITEMS = `query DashboardForumItems($p: ID!, $after: String) {
  program(id: $p) {
    id
    forumItems(first: 100, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes {
        id title status tier raisedAt updatedAt
        raisedIn { name } forum { name } path { name }
        history { id kind tier text decision at forum { name } fromForum { name } }
      }
    }
  }
}`;

interface TierSummary {
  tier: string | null;
  tierLevel: number | null;
  openItems: number;
  responses: number;
  averageDaysToResponse: number | null;
}
interface ForumEvent {
  id: string;
  kind: string;
  tier: string | null;
  text: string | null;
  decision: string | null;
  at: string;
  forum: { name: string } | null;
  fromForum: { name: string } | null;
}
interface ForumItem {
  id: string;
  title: string;
  status: string;
  tier: string | null;
  raisedAt: string;
  updatedAt: string;
  raisedIn: { name: string } | null;
  forum: { name: string } | null;
  path: ({ name: string } | null)[];
  history: ForumEvent[];
}

const day = (iso: string) => iso.slice(0, 10);
const forumName = (f: { name: string } | null) => f?.name ?? 'withheld';

/** One step of an item's history in words: "2026-09-30 escalated Northern regional forum → State-wide forum". */
function step(e: ForumEvent): string {
  const where = e.fromForum ? `${forumName(e.fromForum)} → ${forumName(e.forum)}` : forumName(e.forum);
  const said = [e.decision && `decision: ${e.decision}`, e.text].filter(Boolean).join('; ');
  return `${day(e.at)} ${e.kind.toLowerCase()} ${where}${said ? ` (${said})` : ''}`;
}

/**
 * The three-tier loop: items raised in regional forums, escalated up the tiers, answered and
 * returned. Open items and responses per tier, and every item with the forums it went through and
 * each step of its history.
 */
export function ForumLoop({ programId }: { programId: string }) {
  const [summary] = useQuery({ query: SUMMARY, variables: { p: programId } });
  const items = useAllPages<ForumItem>(ITEMS, { p: programId }, (d) => d.program?.forumItems);
  const program = summary.data?.program;
  const tierName = new Map<string, string>(((program?.tiers ?? []) as { key: string; name: string }[]).map((t) => [t.key, t.name]));
  const name = (key: string | null) => (key ? (tierName.get(key) ?? key) : 'no tier');
  const tiers = ((program?.forumSummary ?? []) as TierSummary[]).map((t) => ({ ...t, name: name(t.tier) }));

  return (
    <section className="view" data-view="three-tier-loop">
      <h2>{program?.name ?? 'Program'} — the three-tier loop</h2>
      <Problem error={summary.error} />
      {program ? (
        <>
          <h3>Open items and responses per tier</h3>
          <Bars
            label="Open items and responses per tier"
            height={240}
            data={tiers}
            x="name"
            series={[
              { key: 'openItems', name: 'Open items', colour: '#d69e2e' },
              { key: 'responses', name: 'Responses', colour: '#38a169' },
            ]}
          />
          <Table
            name="Forum tiers"
            columns={[
              { label: 'Tier', text: (r: (typeof tiers)[number]) => r.name },
              { label: 'Level', text: (r) => (r.tierLevel == null ? '' : String(r.tierLevel)), sort: (r) => r.tierLevel, numeric: true },
              { label: 'Open items', text: (r) => String(r.openItems), sort: (r) => r.openItems, numeric: true },
              { label: 'Responses', text: (r) => String(r.responses), sort: (r) => r.responses, numeric: true },
              { label: 'Average days to response', text: (r) => (r.averageDaysToResponse == null ? 'no response yet' : r.averageDaysToResponse.toFixed(1)), sort: (r) => r.averageDaysToResponse, numeric: true },
            ]}
            rows={tiers}
            rowKey={(r, i) => `${r.tier}-${i}`}
            empty="No forums in this program's tiers yet."
          />
        </>
      ) : null}
      <h3>Items and their history</h3>
      <Problem error={items.error} />
      <Table
        name="Forum items"
        columns={[
          { label: 'Item', text: (r: ForumItem) => r.title },
          { label: 'Status', text: (r) => r.status, render: (r) => <span className={`status ${r.status.toLowerCase()}`}>{r.status}</span> },
          { label: 'Tier now', text: (r) => name(r.tier), sort: (r) => r.tier },
          { label: 'Raised', text: (r) => day(r.raisedAt), sort: (r) => r.raisedAt },
          { label: 'Path', text: (r) => r.path.map(forumName).join(' → ') },
          {
            label: 'History',
            text: (r) => r.history.map(step).join(' · '),
            render: (r) => (
              <ol className="history">
                {r.history.map((e) => (
                  <li key={e.id}>{step(e)}</li>
                ))}
              </ol>
            ),
          },
          { label: 'Last change', text: (r) => dateTime(r.updatedAt), sort: (r) => r.updatedAt },
        ]}
        rows={items.nodes}
        rowKey={(r) => r.id}
        empty={items.error ? 'Unavailable right now.' : 'No forum items raised in this program yet.'}
        loading={items.fetching && { total: items.totalCount }}
      />
    </section>
  );
}
