import { useMemo } from 'react';
import { useQuery } from 'urql';
import { AttendanceTrend } from './AttendanceTrend';
import { dateTime } from './format';
import { LivePanel } from './LivePanel';
import { useAllPages } from './paging';
import { Problem } from './Problem';
import { OverlapTable } from './OverlapTable';
import { Table } from './Table';

const PLANS = `query DashboardPartnerPlans($o: ID!, $p: ID!) {
  organisation(id: $o) {
    id
    plannedEngagements { id title startsOn endsOn regions { name } audiences detailsWithheld }
    engagementOverlaps(programId: $p) { id organisations { id name } regions { id name } audiences startsOn endsOn }
  }
}`;

const COMMUNITIES = `query DashboardPartnerCommunities($o: ID!, $p: ID!, $after: String) {
  communities(filter: { organisationId: $o, programId: $p }, first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id name kind mode memberCount maturityStage sessionCount(status: ENDED) membersAtRisk { attendeeRef lastAttendedAt missedSessions } }
  }
}`;

const FACILITATORS = `query DashboardPartnerFacilitators($o: ID!, $after: String) {
  facilitators(filter: { organisationId: $o }, first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id displayName detailsWithheld status accreditation region { name } }
  }
}`;

const UPCOMING = `query DashboardUpcoming($o: ID!, $p: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $after: String) {
  sessions(filter: { organisationId: $o, programId: $p, status: SCHEDULED, from: $from, to: $to }, first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id topic startsAt mode community { name } facilitators { displayName detailsWithheld } }
  }
}`;

/** How far ahead "upcoming" looks. */
const UPCOMING_DAYS = 28;

interface Facilitator { id: string; displayName: string | null; detailsWithheld: boolean; status: string; accreditation: string | null; region: { name: string } | null }
interface AtRisk { attendeeRef: string; lastAttendedAt: string; missedSessions: number }
interface Community { id: string; name: string; kind: string; mode: string; memberCount: number | null; maturityStage: string; sessionCount: number; membersAtRisk: AtRisk[] | null }
interface Upcoming { id: string; topic: string; startsAt: string; mode: string; community: { name: string } | null; facilitators: ({ displayName: string | null } | null)[] | null }
interface Engagement { id: string; title: string | null; startsOn: string; endsOn: string; regions: { name: string }[]; audiences: string[] | null; detailsWithheld: boolean }

/** A delivery partner's admin: its own communities, sessions, facilitators and plans in one program. */
export function PartnerView({ organisationId, programId, organisationName }: { organisationId: string; programId: string; organisationName?: string }) {
  const upcomingWindow = useMemo(() => ({ from: new Date().toISOString(), to: new Date(Date.now() + UPCOMING_DAYS * 86_400_000).toISOString() }), []);
  const [plans] = useQuery({ query: PLANS, variables: { o: organisationId, p: programId } });
  const upcoming = useAllPages<Upcoming>(UPCOMING, { o: organisationId, p: programId, ...upcomingWindow }, (d) => d.sessions);
  const communities = useAllPages<Community>(COMMUNITIES, { o: organisationId, p: programId }, (d) => d.communities);
  const facilitators = useAllPages<Facilitator>(FACILITATORS, { o: organisationId }, (d) => d.facilitators);
  const org = plans.data?.organisation;
  const atRisk = useMemo(() => communities.nodes.flatMap((c) => (c.membersAtRisk ?? []).map((m) => ({ ...m, community: c.name }))), [communities.nodes]);

  return (
    <section className="view" data-view="partner">
      <h2>{organisationName ?? organisationId}</h2>
      <LivePanel programId={programId} organisationId={organisationId} />
      <h3>Upcoming sessions (next {UPCOMING_DAYS} days)</h3>
      <Problem error={upcoming.error} />
      <Table
        name="Upcoming sessions"
        columns={[
          { label: 'Starts', text: (r: Upcoming) => dateTime(r.startsAt), sort: (r) => r.startsAt },
          { label: 'Session', text: (r) => r.topic },
          { label: 'Community', text: (r) => r.community?.name ?? '' },
          { label: 'Mode', text: (r) => r.mode },
          { label: 'Facilitators', text: (r) => (r.facilitators ?? []).map((f) => f?.displayName ?? 'withheld').join(', ') },
        ]}
        rows={upcoming.nodes}
        rowKey={(r) => r.id}
        empty="No upcoming sessions."
        loading={upcoming.fetching && { total: upcoming.totalCount }}
      />
      <AttendanceTrend programId={programId} />
      <h3>Communities</h3>
      <Problem error={communities.error} />
      <Table
        name="Communities"
        columns={[
          { label: 'Community', text: (r: Community) => r.name },
          { label: 'Kind', text: (r) => r.kind },
          { label: 'Mode', text: (r) => r.mode },
          { label: 'Sessions held', text: (r) => String(r.sessionCount), sort: (r) => r.sessionCount, numeric: true },
          { label: 'Facilitator members', text: (r) => (r.memberCount == null ? 'unavailable' : String(r.memberCount)), sort: (r) => r.memberCount, numeric: true },
          { label: 'Members at risk', text: (r) => (r.membersAtRisk == null ? 'not shown' : String(r.membersAtRisk.length)), sort: (r) => r.membersAtRisk?.length, numeric: true },
          { label: 'Stage', text: (r) => r.maturityStage },
        ]}
        rows={communities.nodes}
        rowKey={(r) => r.id}
        loading={communities.fetching && { total: communities.totalCount }}
      />
      <h3>Members at risk of dropping off</h3>
      <p className="muted">People who came before but to none of their group's last 3 sessions (pseudonymous references, never names).</p>
      <Table
        name="Members at risk"
        columns={[
          { label: 'Community', text: (r: (typeof atRisk)[number]) => r.community },
          { label: 'Member', text: (r) => r.attendeeRef },
          { label: 'Last came', text: (r) => dateTime(r.lastAttendedAt), sort: (r) => r.lastAttendedAt },
          { label: 'Sessions missed since', text: (r) => String(r.missedSessions), sort: (r) => r.missedSessions, numeric: true },
        ]}
        rows={atRisk}
        rowKey={(r) => `${r.community}-${r.attendeeRef}`}
        empty="Nobody is at risk of dropping off."
        loading={communities.fetching && { total: null }}
      />
      <h3>Facilitators</h3>
      <Problem error={facilitators.error} />
      <Table
        name="Facilitators"
        columns={[
          { label: 'Name', text: (r: Facilitator) => (r.detailsWithheld ? 'withheld' : (r.displayName ?? '')) },
          { label: 'Status', text: (r) => r.status },
          { label: 'Accreditation', text: (r) => r.accreditation ?? 'none current' },
          { label: 'Region', text: (r) => r.region?.name ?? '' },
        ]}
        rows={facilitators.nodes}
        rowKey={(r) => r.id}
        loading={facilitators.fetching && { total: facilitators.totalCount }}
      />
      <h3>Planned engagements</h3>
      <Problem error={plans.error} />
      <Table
        name="Planned engagements"
        columns={[
          { label: 'Title', text: (r: Engagement) => r.title ?? 'withheld' },
          { label: 'Regions', text: (r) => r.regions.map((x) => x.name).join(', ') },
          { label: 'Audiences', text: (r) => (r.audiences ? r.audiences.join(', ') : 'withheld') },
          { label: 'From', text: (r) => r.startsOn },
          { label: 'To', text: (r) => r.endsOn },
        ]}
        rows={(org?.plannedEngagements ?? []) as Engagement[]}
        rowKey={(r) => r.id}
        empty="No planned engagements."
      />
      <h3>Overlaps with other organisations</h3>
      <OverlapTable overlaps={org?.engagementOverlaps ?? []} />
    </section>
  );
}
