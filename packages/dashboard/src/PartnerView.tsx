import { useMemo } from 'react';
import { useQuery } from 'urql';
import { dateTime } from './format';
import { LivePanel } from './LivePanel';
import { Problem } from './Problem';
import { OverlapTable } from './ProgramOverview';
import { Table } from './Table';

const PARTNER = `query DashboardPartner($o: ID!) {
  organisation(id: $o) {
    id name
    programs { id name }
    facilitators(first: 100) { totalCount nodes { id displayName detailsWithheld status accreditation region { name } } }
    communities(first: 100) { totalCount nodes { id name kind mode memberCount maturityStage membersAtRisk { attendeeRef lastAttendedAt missedSessions } } }
    plannedEngagements { id title startsOn endsOn regions { name } audiences detailsWithheld }
    engagementOverlaps { id organisations { id name } regions { id name } audiences startsOn endsOn }
  }
}`;

const UPCOMING = `query DashboardUpcoming($o: ID!, $from: DateTimeISO!) {
  sessions(filter: { organisationId: $o, status: SCHEDULED, from: $from }, first: 50) {
    totalCount
    nodes { id topic startsAt mode community { name } facilitators { displayName detailsWithheld } }
  }
}`;

interface Facilitator { id: string; displayName: string | null; detailsWithheld: boolean; status: string; accreditation: string | null; region: { name: string } | null }
interface Community { id: string; name: string; kind: string; mode: string; memberCount: number | null; maturityStage: string; membersAtRisk: { attendeeRef: string; lastAttendedAt: string; missedSessions: number }[] | null }
interface Upcoming { id: string; topic: string; startsAt: string; mode: string; community: { name: string } | null; facilitators: ({ displayName: string | null } | null)[] | null }
interface Engagement { id: string; title: string | null; startsOn: string; endsOn: string; regions: { name: string }[]; audiences: string[] | null; detailsWithheld: boolean }

/** A delivery partner's admin: its own communities, sessions, facilitators and plans. */
export function PartnerView({ organisationId }: { organisationId: string }) {
  const from = useMemo(() => new Date().toISOString(), []);
  const [partner] = useQuery({ query: PARTNER, variables: { o: organisationId } });
  const [upcoming] = useQuery({ query: UPCOMING, variables: { o: organisationId, from } });
  const org = partner.data?.organisation;
  const programs: { id: string; name: string }[] = org?.programs ?? [];

  return (
    <section className="view" data-view="partner">
      <h2>{org?.name ?? organisationId}</h2>
      <Problem error={partner.error} />
      {partner.fetching && !org ? <p className="muted">Loading…</p> : null}
      {programs.map((p) => (
        <LivePanel key={p.id} programId={p.id} organisationId={organisationId} />
      ))}
      <h3>Upcoming sessions</h3>
      <Problem error={upcoming.error} />
      {upcoming.data?.sessions && upcoming.data.sessions.totalCount > upcoming.data.sessions.nodes.length ? (
        <p className="muted">The next {upcoming.data.sessions.nodes.length} of {upcoming.data.sessions.totalCount} scheduled sessions.</p>
      ) : null}
      <Table
        name="Upcoming sessions"
        columns={[
          { label: 'Starts', text: (r: Upcoming) => dateTime(r.startsAt), sort: (r) => r.startsAt },
          { label: 'Session', text: (r) => r.topic },
          { label: 'Community', text: (r) => r.community?.name ?? '' },
          { label: 'Mode', text: (r) => r.mode },
          { label: 'Facilitators', text: (r) => (r.facilitators ?? []).map((f) => f?.displayName ?? 'withheld').join(', ') },
        ]}
        rows={(upcoming.data?.sessions?.nodes ?? []) as Upcoming[]}
        rowKey={(r) => r.id}
        empty="No upcoming sessions."
      />
      {org ? (
        <>
          <h3>Communities and members at risk</h3>
          <Table
            name="Communities"
            columns={[
              { label: 'Community', text: (r: Community) => r.name },
              { label: 'Kind', text: (r) => r.kind },
              { label: 'Mode', text: (r) => r.mode },
              { label: 'Facilitator members', text: (r) => (r.memberCount == null ? 'unavailable' : String(r.memberCount)), sort: (r) => r.memberCount, numeric: true },
              { label: 'Members at risk', text: (r) => (r.membersAtRisk == null ? 'not shown' : String(r.membersAtRisk.length)), sort: (r) => r.membersAtRisk?.length, numeric: true },
              { label: 'At risk (missed sessions)', text: (r) => (r.membersAtRisk ?? []).map((m) => `${m.attendeeRef} (${m.missedSessions})`).join(', ') },
              { label: 'Stage', text: (r) => r.maturityStage },
            ]}
            rows={(org.communities?.nodes ?? []) as Community[]}
            rowKey={(r) => r.id}
          />
          <h3>Facilitators</h3>
          <Table
            name="Facilitators"
            columns={[
              { label: 'Name', text: (r: Facilitator) => (r.detailsWithheld ? 'withheld' : (r.displayName ?? '')) },
              { label: 'Status', text: (r) => r.status },
              { label: 'Accreditation', text: (r) => r.accreditation ?? 'none current' },
              { label: 'Region', text: (r) => r.region?.name ?? '' },
            ]}
            rows={(org.facilitators?.nodes ?? []) as Facilitator[]}
            rowKey={(r) => r.id}
          />
          <h3>Planned engagements</h3>
          <Table
            name="Planned engagements"
            columns={[
              { label: 'Title', text: (r: Engagement) => r.title ?? 'withheld' },
              { label: 'Regions', text: (r) => r.regions.map((x) => x.name).join(', ') },
              { label: 'Audiences', text: (r) => (r.audiences ? r.audiences.join(', ') : 'withheld') },
              { label: 'From', text: (r) => r.startsOn },
              { label: 'To', text: (r) => r.endsOn },
            ]}
            rows={(org.plannedEngagements ?? []) as Engagement[]}
            rowKey={(r) => r.id}
            empty="No planned engagements."
          />
          <h3>Overlaps with other organisations</h3>
          <OverlapTable overlaps={org.engagementOverlaps ?? []} />
        </>
      ) : null}
    </section>
  );
}
