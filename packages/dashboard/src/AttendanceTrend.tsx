import { useMemo } from 'react';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useQuery } from 'urql';
import { Chart, month } from './Chart';
import { Problem } from './Problem';
import { Table } from './Table';

const TRENDS = `query DashboardTrends($p: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
  program(id: $p) {
    id
    attendanceTrend(from: $from, to: $to, interval: MONTH) { periodStart sessionsHeld attendance averagePerSession }
    retention(maxSessions: 12) { sessionNumber communities cohort retained share attendance }
  }
}`;

interface Point {
  periodStart: string;
  sessionsHeld: number;
  attendance: number;
  averagePerSession: number | null;
}
interface Retention {
  sessionNumber: number;
  communities: number;
  cohort: number;
  retained: number;
  share: number | null;
  attendance: number;
}

/** This year up to the end of the current month (later months have nothing held yet). */
function yearToDate(now = new Date()): { from: string; to: string } {
  return { from: `${now.getUTCFullYear()}-01-01T00:00:00.000Z`, to: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString() };
}

/**
 * Attendance and drop-off over the program (within the caller's wall: a partner admin sees its own):
 * sessions held and people per session by month, and how many of each group's first-session
 * attendees still come at its k-th session.
 */
export function AttendanceTrend({ programId }: { programId: string }) {
  const period = useMemo(() => yearToDate(), []);
  const [trends] = useQuery({ query: TRENDS, variables: { p: programId, ...period } });
  const program = trends.data?.program;
  const points = ((program?.attendanceTrend ?? []) as Point[]).map((p) => ({ ...p, month: month(p.periodStart), perSession: p.averagePerSession == null ? null : Number(p.averagePerSession.toFixed(1)) }));
  const retention = ((program?.retention ?? []) as Retention[]).map((r) => ({ ...r, retainedPercent: r.share == null ? null : Math.round(r.share * 100) }));
  return (
    <section data-view="attendance-trend">
      <h3>Attendance and drop-off</h3>
      <Problem error={trends.error} />
      {trends.fetching && !program ? <p className="muted">Loading…</p> : null}
      {program ? (
        <div className="charts">
          <Chart label="Sessions held and attendance per session by month">
            <ComposedChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="month" fontSize={12} />
              <YAxis yAxisId="sessions" allowDecimals={false} />
              <YAxis yAxisId="people" orientation="right" />
              <Tooltip />
              <Legend />
              <Bar yAxisId="sessions" dataKey="sessionsHeld" name="Sessions held" fill="#90cdf4" isAnimationActive={false} />
              <Line yAxisId="people" dataKey="perSession" name="People per session" stroke="#2b6cb0" strokeWidth={2} isAnimationActive={false} connectNulls />
            </ComposedChart>
          </Chart>
          <Chart label="Drop-off: share of first-session attendees still coming">
            <LineChart data={retention} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="sessionNumber" label={{ value: 'session number', position: 'insideBottom', offset: -4, fontSize: 12 }} />
              <YAxis domain={[0, 100]} unit="%" />
              <Tooltip />
              <Line dataKey="retainedPercent" name="Still coming (%)" stroke="#c53030" strokeWidth={2} isAnimationActive={false} />
            </LineChart>
          </Chart>
        </div>
      ) : null}
      {program ? (
        <Table
          name="Attendance by month"
          columns={[
            { label: 'Month', text: (r: (typeof points)[number]) => r.month },
            { label: 'Sessions held', text: (r) => String(r.sessionsHeld), sort: (r) => r.sessionsHeld, numeric: true },
            { label: 'Attendance', text: (r) => String(r.attendance), sort: (r) => r.attendance, numeric: true },
            { label: 'Per session', text: (r) => (r.perSession == null ? 'no sessions' : r.perSession.toFixed(1)), sort: (r) => r.perSession, numeric: true },
          ]}
          rows={points}
          rowKey={(r) => r.periodStart}
        />
      ) : null}
    </section>
  );
}
