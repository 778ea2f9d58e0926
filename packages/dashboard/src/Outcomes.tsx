import { useMemo } from 'react';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import { Chart, month } from './Chart';
import { dateTime, suppressed } from './format';
import { useAllPages } from './paging';
import { Problem } from './Problem';
import { Table } from './Table';

const CONFIDENCE = `query DashboardConfidence($p: ID!, $after: String) {
  polls(filter: { programId: $p, kind: CONFIDENCE }, first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes {
      id confidencePhase
      confidencePair {
        id question createdAt minimumGroupSize
        session { topic } community { name } organisation { name }
        change { pairedCount averageBefore averageAfter averageChange improvedShare }
      }
    }
  }
}`;

const CHECK_INS = `query DashboardCheckIns($p: ID!, $after: String) {
  polls(filter: { programId: $p, kind: CHECK_IN }, first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes {
      id question createdAt
      results { suppressed responseCount averageRating minimumGroupSize }
      session { startsAt community { name } }
      community { name }
      organisation { name }
    }
  }
}`;

interface Pair {
  id: string;
  question: string;
  createdAt: string;
  minimumGroupSize: number;
  session: { topic: string } | null;
  community: { name: string } | null;
  organisation: { name: string } | null;
  change: { pairedCount: number; averageBefore: number; averageAfter: number; averageChange: number; improvedShare: number } | null;
}
interface CheckIn {
  id: string;
  question: string;
  createdAt: string;
  results: { suppressed: boolean; responseCount: number | null; averageRating: number | null; minimumGroupSize: number };
  session: { startsAt: string; community: { name: string } | null } | null;
  community: { name: string } | null;
  organisation: { name: string } | null;
}

const askedAt = (c: CheckIn) => c.session?.startsAt ?? c.createdAt;

/** Confidence before and after (anonymous pairs), and the check-ins over time, suppressed figures shown as such. */
export function Outcomes({ programId }: { programId: string }) {
  const confidence = useAllPages<{ id: string; confidencePhase: string | null; confidencePair: Pair | null }>(CONFIDENCE, { p: programId }, (d) => d.polls);
  const checkIns = useAllPages<CheckIn>(CHECK_INS, { p: programId }, (d) => d.polls);
  // each pair has two polls: keep it once
  const pairs = useMemo(() => confidence.nodes.filter((p) => p.confidencePhase === 'BEFORE' && p.confidencePair).map((p) => p.confidencePair!), [confidence.nodes]);
  const pairChart = pairs.filter((p) => p.change).map((p) => ({ question: p.question.length > 40 ? `${p.question.slice(0, 40)}…` : p.question, before: p.change!.averageBefore, after: p.change!.averageAfter }));

  const newestFirst = useMemo(() => [...checkIns.nodes].sort((a, b) => askedAt(b).localeCompare(askedAt(a))), [checkIns.nodes]);
  const byMonth = useMemo(() => {
    const months = new Map<string, { month: string; shown: number; suppressed: number; ratingSum: number; rated: number }>();
    for (const c of checkIns.nodes) {
      const m = month(askedAt(c));
      const point = months.get(m) ?? { month: m, shown: 0, suppressed: 0, ratingSum: 0, rated: 0 };
      if (c.results.suppressed) point.suppressed += 1;
      else point.shown += 1;
      if (c.results.averageRating != null) {
        point.ratingSum += c.results.averageRating;
        point.rated += 1;
      }
      months.set(m, point);
    }
    return [...months.values()].sort((a, b) => a.month.localeCompare(b.month)).map((p) => ({ ...p, averageRating: p.rated ? Number((p.ratingSum / p.rated).toFixed(2)) : null }));
  }, [checkIns.nodes]);

  return (
    <section data-view="outcomes">
      <h3>Confidence before and after</h3>
      <Problem error={confidence.error} />
      {pairChart.length ? (
        <Chart label="Confidence before and after" height={220}>
          <ComposedChart data={pairChart} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" domain={[1, 5]} />
            <YAxis type="category" dataKey="question" width={260} fontSize={12} />
            <Tooltip />
            <Legend />
            <Bar dataKey="before" name="Before (mean, 1–5)" fill="#a0aec0" isAnimationActive={false} />
            <Bar dataKey="after" name="After (mean, 1–5)" fill="#38a169" isAnimationActive={false} />
          </ComposedChart>
        </Chart>
      ) : null}
      <Table
        name="Confidence change"
        columns={[
          { label: 'Question', text: (r: Pair) => r.question },
          { label: 'Where', text: (r) => r.session?.topic ?? r.community?.name ?? '' },
          { label: 'Partner', text: (r) => r.organisation?.name ?? '' },
          { label: 'People paired', text: (r) => (r.change ? String(r.change.pairedCount) : suppressed(r.minimumGroupSize)), sort: (r) => r.change?.pairedCount, numeric: true },
          { label: 'Before', text: (r) => (r.change ? r.change.averageBefore.toFixed(2) : suppressed(r.minimumGroupSize)), sort: (r) => r.change?.averageBefore, numeric: true },
          { label: 'After', text: (r) => (r.change ? r.change.averageAfter.toFixed(2) : suppressed(r.minimumGroupSize)), sort: (r) => r.change?.averageAfter, numeric: true },
          { label: 'Change', text: (r) => (r.change ? `${r.change.averageChange >= 0 ? '+' : ''}${r.change.averageChange.toFixed(2)}` : suppressed(r.minimumGroupSize)), sort: (r) => r.change?.averageChange, numeric: true },
          { label: 'Improved', text: (r) => (r.change ? `${Math.round(r.change.improvedShare * 100)}%` : suppressed(r.minimumGroupSize)), sort: (r) => r.change?.improvedShare, numeric: true },
        ]}
        rows={pairs}
        rowKey={(r) => r.id}
        empty={confidence.error ? 'Unavailable right now.' : 'No confidence questions asked in this program yet.'}
        loading={confidence.fetching && { total: confidence.totalCount }}
      />

      <h3>Check-ins over time</h3>
      <Problem error={checkIns.error} />
      {byMonth.length ? (
        <Chart label="Check-ins by month: average rating and suppressed check-ins">
          <ComposedChart data={byMonth} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="month" fontSize={12} />
            <YAxis yAxisId="count" allowDecimals={false} />
            <YAxis yAxisId="rating" orientation="right" domain={[1, 5]} />
            <Tooltip />
            <Legend />
            <Bar yAxisId="count" dataKey="shown" stackId="c" name="Check-ins reported" fill="#90cdf4" isAnimationActive={false} />
            <Bar yAxisId="count" dataKey="suppressed" stackId="c" name="Check-ins suppressed (too few answers)" fill="#cbd5e0" isAnimationActive={false} />
            <Line yAxisId="rating" dataKey="averageRating" name="Average rating (1–5)" stroke="#2b6cb0" strokeWidth={2} isAnimationActive={false} connectNulls />
          </ComposedChart>
        </Chart>
      ) : null}
      <Table
        name="Check-ins"
        columns={[
          { label: 'Asked', text: (r: CheckIn) => dateTime(askedAt(r)), sort: (r) => askedAt(r) },
          { label: 'Partner', text: (r) => r.organisation?.name ?? '' },
          { label: 'Group', text: (r) => r.session?.community?.name ?? r.community?.name ?? '' },
          { label: 'Question', text: (r) => r.question },
          { label: 'Answers', text: (r) => (r.results.responseCount == null ? suppressed(r.results.minimumGroupSize) : String(r.results.responseCount)), sort: (r) => r.results.responseCount, numeric: true },
          { label: 'Average rating', text: (r) => (r.results.averageRating == null ? suppressed(r.results.minimumGroupSize) : r.results.averageRating.toFixed(2)), sort: (r) => r.results.averageRating, numeric: true },
        ]}
        rows={newestFirst}
        rowKey={(r) => r.id}
        empty={checkIns.error ? 'Unavailable right now.' : 'No check-ins asked in this program yet.'}
        loading={checkIns.fetching && { total: checkIns.totalCount }}
      />
    </section>
  );
}
