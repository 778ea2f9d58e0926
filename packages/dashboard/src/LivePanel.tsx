import { useCallback, useEffect, useMemo, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { dateTime, suppressed } from './format';
import { useAllPages } from './paging';
import { Problem } from './Problem';
import { Table } from './Table';

const POLL_FIELDS = `id question status answerType session { id } results { suppressed responseCount minimumGroupSize averageRating options { label count } }`;
const FIELDS = `id topic status currentPhase attendanceCount startsAt community { id name } organisation { id name }`;
const NOW_LIVE = `query DashboardNowLive($p: ID!, $o: ID, $after: String) {
  sessions(filter: { programId: $p, organisationId: $o, status: LIVE }, first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ${FIELDS} } }
}`;
const LIVE_SESSIONS = `subscription DashboardLiveSessions($p: ID!) { liveSessions(programId: $p) { ${FIELDS} } }`;
const CHECK_INS = `subscription DashboardCheckIns($id: ID!) { sessionCheckIns(sessionId: $id) { id attendanceCount } }`;

const POLLS = `query DashboardLivePolls($id: ID!) { session(id: $id) { id polls(first: 20) { nodes { ${POLL_FIELDS} } } } }`;
const POLL_RESULTS = `subscription DashboardPollResults($id: ID!) { pollResults(pollId: $id) { ${POLL_FIELDS} } }`;

/** Live sessions whose check-ins and polls the panel follows (each costs subscriptions; see client.ts). */
const FOLLOWED_SESSIONS = 15;
/** A poll created during a live session announces itself to no subscription: the panel looks for new ones this often. */
const NEW_POLLS_EVERY_MS = 5_000;

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

  const nowLive = useAllPages<LiveSession>(NOW_LIVE, { p: programId, o: organisationId ?? null }, (d) => d.sessions);
  useEffect(() => {
    for (const s of nowLive.nodes) merge(s);
  }, [nowLive.nodes, merge]);

  const [events] = useSubscription({ query: LIVE_SESSIONS, variables: { p: programId } });
  useEffect(() => {
    const s = events.data?.liveSessions as LiveSession | null | undefined;
    if (s) merge(s);
  }, [events.data, merge]);

  const rows = useMemo(() => Object.values(sessions).sort((a, b) => b.seenAt - a.seenAt), [sessions]);
  const live = rows.filter((r) => r.status === 'LIVE');
  const followed = live.slice(0, FOLLOWED_SESSIONS);

  const [polls, setPolls] = useState<Record<string, LivePoll>>({});
  const mergePoll = useCallback((poll: LivePoll) => setPolls((all) => ({ ...all, [poll.id]: { ...poll, seenAt: Date.now() } })), []);
  const followedIds = new Set(followed.map((s) => s.id));
  const pollRows = Object.values(polls)
    .filter((p) => p.session && followedIds.has(p.session.id))
    .sort((a, b) => a.question.localeCompare(b.question));

  return (
    <section className="view live-panel" data-view="live-sessions">
      <h3>
        Live sessions <span className={`dot ${events.error ? 'off' : 'on'}`} title={events.error ? 'not connected' : 'listening'} />
      </h3>
      <Problem error={nowLive.error ?? events.error} />
      {live.length > followed.length ? (
        <p className="muted">
          {live.length} sessions are live: the {FOLLOWED_SESSIONS} that changed last show check-ins and polls as they come; the others update when they change.
        </p>
      ) : null}
      {followed.map((s) => (
        <FollowCheckIns key={s.id} id={s.id} onChange={merge} />
      ))}
      {followed.map((s) => (
        <FindPolls key={s.id} id={s.id} known={polls} onPoll={mergePoll} />
      ))}
      {pollRows
        .filter((p) => p.status === 'OPEN')
        .map((p) => (
          <FollowPoll key={p.id} id={p.id} onChange={mergePoll} />
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
      {followed.length || pollRows.length ? (
        <>
          <h4>Live polls</h4>
          <Table
            name="Live polls"
            columns={[
              { label: 'Session', text: (r: LivePoll) => sessions[r.session?.id ?? '']?.topic ?? '' },
              { label: 'Question', text: (r) => r.question },
              { label: 'Status', text: (r) => r.status },
              { label: 'Answers', text: (r) => (r.results.responseCount == null ? suppressed(r.results.minimumGroupSize) : String(r.results.responseCount)), sort: (r) => r.results.responseCount, numeric: true },
              { label: 'Results', text: pollResult },
            ]}
            rows={pollRows}
            rowKey={(r) => r.id}
            empty="No poll in a live session."
          />
        </>
      ) : null}
    </section>
  );
}

interface LivePoll {
  id: string;
  question: string;
  status: string;
  answerType: string;
  session: { id: string } | null;
  results: { suppressed: boolean; responseCount: number | null; minimumGroupSize: number; averageRating: number | null; options: { label: string; count: number | null }[] };
  seenAt?: number;
}

/** A poll's results in words, never a figure the hub withheld. */
function pollResult(p: LivePoll): string {
  const r = p.results;
  if (r.suppressed) return suppressed(r.minimumGroupSize);
  if (p.answerType === 'CHOICE') {
    if (r.options.some((o) => o.count == null)) return `counts withheld (an option has fewer than ${r.minimumGroupSize})`;
    return r.options.map((o) => `${o.label}: ${o.count}`).join(' · ');
  }
  if (p.answerType === 'RATING') return r.averageRating == null ? suppressed(r.minimumGroupSize) : `average ${r.averageRating.toFixed(2)} of 5`;
  return `${r.responseCount} answers`;
}

/** Finds the polls of one live session, again every few seconds for new ones. Renders nothing. */
function FindPolls({ id, known, onPoll }: { id: string; known: Record<string, LivePoll>; onPoll: (p: LivePoll) => void }) {
  const [result, refetch] = useQuery({ query: POLLS, variables: { id }, requestPolicy: 'network-only' });
  useEffect(() => {
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), NEW_POLLS_EVERY_MS);
    return () => clearInterval(timer);
  }, [refetch]);
  useEffect(() => {
    // a poll already followed keeps its subscription's (newer) results
    for (const p of (result.data?.session?.polls?.nodes ?? []) as LivePoll[]) if (!known[p.id]) onPoll(p);
  }, [result.data, known, onPoll]);
  return null;
}

/** Follows one poll's results as answers come in (pollResults over graphql-ws). Renders nothing. */
function FollowPoll({ id, onChange }: { id: string; onChange: (p: LivePoll) => void }) {
  const [result] = useSubscription({ query: POLL_RESULTS, variables: { id } });
  useEffect(() => {
    const p = result.data?.pollResults as LivePoll | null | undefined;
    if (p) onChange(p);
  }, [result.data, onChange]);
  return null;
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
