import { useCallback, useEffect, useMemo, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { dateTime } from './format';
import { Problem } from './Problem';
import { Table } from './Table';

const FIELDS = `id topic status currentPhase attendanceCount startsAt community { id name } organisation { id name }`;
const NOW_LIVE = `query DashboardNowLive($p: ID!) { sessions(filter: { programId: $p, status: LIVE }, first: 50) { nodes { ${FIELDS} } } }`;
const LIVE_SESSIONS = `subscription DashboardLiveSessions($p: ID!) { liveSessions(programId: $p) { ${FIELDS} } }`;
const CHECK_INS = `subscription DashboardCheckIns($id: ID!) { sessionCheckIns(sessionId: $id) { id attendanceCount } }`;

/** A graphql-ws connection holds at most 20 subscriptions: the program's, and this many sessions' check-ins. */
const FOLLOWED_SESSIONS = 15;

interface LiveSession {
  id: string;
  topic: string;
  status: string;
  currentPhase: string | null;
  attendanceCount: number;
  startsAt: string;
  community: { id: string; name: string } | null;
  organisation: { id: string; name: string } | null;
  /** When this page last heard of it. */
  seenAt: number;
}

/**
 * Sessions of a program as they go live, change phase and end, with their attendance as people
 * check in: the LIVE ones when the page opens, then every event over graphql-ws, without reloading.
 * `organisationId` keeps only that organisation's sessions (a partner's own view).
 */
export function LivePanel({ programId, organisationId }: { programId: string; organisationId?: string }) {
  const [sessions, setSessions] = useState<Record<string, LiveSession>>({});
  const merge = useCallback(
    (incoming: Partial<LiveSession> & { id: string }) => {
      if (organisationId && incoming.organisation && incoming.organisation.id !== organisationId) return;
      setSessions((all) => {
        const before = all[incoming.id];
        if (!before && !incoming.topic) return all;
        return { ...all, [incoming.id]: { ...before, ...incoming, seenAt: Date.now() } as LiveSession };
      });
    },
    [organisationId],
  );

  const [nowLive] = useQuery({ query: NOW_LIVE, variables: { p: programId }, requestPolicy: 'network-only' });
  useEffect(() => {
    for (const s of (nowLive.data?.sessions?.nodes ?? []) as LiveSession[]) merge(s);
  }, [nowLive.data, merge]);

  const [events] = useSubscription({ query: LIVE_SESSIONS, variables: { p: programId } });
  useEffect(() => {
    const s = events.data?.liveSessions as LiveSession | null | undefined;
    if (s) merge(s);
  }, [events.data, merge]);

  const rows = useMemo(() => Object.values(sessions).sort((a, b) => b.seenAt - a.seenAt), [sessions]);
  const followed = rows.filter((r) => r.status === 'LIVE').slice(0, FOLLOWED_SESSIONS);

  return (
    <section className="view live" data-view="live-sessions">
      <h3>
        Live sessions <span className={`dot ${events.error ? 'off' : 'on'}`} title={events.error ? 'not connected' : 'listening'} />
      </h3>
      <Problem error={nowLive.error ?? events.error} />
      {followed.map((s) => (
        <FollowCheckIns key={s.id} id={s.id} onChange={merge} />
      ))}
      <Table
        name="Live sessions"
        columns={[
          { label: 'Session', text: (r: LiveSession) => r.topic },
          { label: 'Community', text: (r) => r.community?.name ?? '' },
          { label: 'Partner', text: (r) => r.organisation?.name ?? '' },
          { label: 'Status', text: (r) => r.status, render: (r) => <span className={`status ${r.status.toLowerCase()}`}>{r.status}</span> },
          { label: 'Phase', text: (r) => r.currentPhase ?? '' },
          { label: 'Attendance', text: (r) => String(r.attendanceCount), sort: (r) => r.attendanceCount, numeric: true },
          { label: 'Starts', text: (r) => dateTime(r.startsAt), sort: (r) => r.startsAt },
          { label: 'Last change', text: (r) => new Date(r.seenAt).toLocaleTimeString(), sort: (r) => r.seenAt },
        ]}
        rows={rows}
        rowKey={(r) => r.id}
        empty="No session is live right now. Sessions appear here as they start."
      />
    </section>
  );
}

/** Follows one live session's check-ins (its attendance count). Renders nothing. */
function FollowCheckIns({ id, onChange }: { id: string; onChange: (s: { id: string; attendanceCount: number }) => void }) {
  const [result] = useSubscription({ query: CHECK_INS, variables: { id } });
  useEffect(() => {
    const s = result.data?.sessionCheckIns as { id: string; attendanceCount: number } | null | undefined;
    if (s) onChange(s);
  }, [result.data, onChange]);
  return null;
}
