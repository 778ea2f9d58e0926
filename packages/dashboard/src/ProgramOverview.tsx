import { useMemo } from 'react';
import { useQuery } from 'urql';
import { Accreditation } from './Accreditation';
import { AttendanceTrend } from './AttendanceTrend';
import { Bars } from './Chart';
import { count, decimal, thisYear, unavailableServices } from './format';
import { LivePanel } from './LivePanel';
import { OverlapTable } from './OverlapTable';
import { Outcomes } from './Outcomes';
import { useAllPages } from './paging';
import { Problem } from './Problem';
import { Table, type Column } from './Table';

const PARTNERS = `query DashboardPartners($p: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
  program(id: $p) {
    id name minimumGroupSize
    deliveryPartners {
      id name
      facilitatorCount(status: ACTIVE)
      groups: communityCount(kind: GROUP, programId: $p)
      sessionsHeld: sessionCount(from: $from, to: $to, status: ENDED, programId: $p)
      feedbackResponseCount(from: $from, to: $to, programId: $p)
    }
    participationByPartner(from: $from, to: $to) { organisation { id } communities sessionsHeld attendance averagePerSession members membersAtRisk }
    outcomeSummary { organisation { id } pollCount reportedPollCount responseCount averageRating }
  }
}`;

const OVERLAPS = `query DashboardOverlaps($p: ID!) {
  program(id: $p) { id engagementOverlaps { id organisations { id name } regions { id name } audiences startsOn endsOn } }
}`;

const PRACTICE = `query DashboardPractice($p: ID!, $after: String) {
  communities(filter: { programId: $p, kind: COMMUNITY_OF_PRACTICE }, first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id name maturityStage }
  }
}`;

interface Partner {
  id: string;
  name: string;
  facilitatorCount: number | null;
  groups: number | null;
  sessionsHeld: number | null;
  feedbackResponseCount: number | null;
}
interface Participation {
  organisation: { id: string } | null;
  communities: number;
  sessionsHeld: number;
  attendance: number;
  averagePerSession: number | null;
  members: number;
  membersAtRisk: number;
}
interface Outcome {
  organisation: { id: string } | null;
  pollCount: number;
  reportedPollCount: number;
  responseCount: number;
  averageRating: number | null;
}
interface PartnerRow extends Partner {
  participation?: Participation;
  outcome?: Outcome;
}

const STAGES = ['POTENTIAL', 'COALESCING', 'MATURING', 'STEWARDSHIP', 'TRANSFORMATION'];

/** The national manager's view of one program: every delivery partner side by side. */
export function ProgramOverview({ programId }: { programId: string }) {
  const period = useMemo(() => thisYear(), []);
  const [partners] = useQuery({ query: PARTNERS, variables: { p: programId, ...period } });
  const [overlaps] = useQuery({ query: OVERLAPS, variables: { p: programId } });
  const practice = useAllPages<{ id: string; name: string; maturityStage: string }>(PRACTICE, { p: programId }, (d) => d.communities);
  const program = partners.data?.program;
  const min: number | undefined = program?.minimumGroupSize;
  const down = unavailableServices(partners.error).length > 0;

  const rows: PartnerRow[] = useMemo(() => {
    if (!program) return [];
    const participation = new Map<string, Participation>((program.participationByPartner ?? []).filter((p: Participation) => p.organisation).map((p: Participation) => [p.organisation!.id, p]));
    const outcomes = new Map<string, Outcome>((program.outcomeSummary ?? []).filter((o: Outcome) => o.organisation).map((o: Outcome) => [o.organisation!.id, o]));
    return (program.deliveryPartners as Partner[]).map((p) => ({ ...p, participation: participation.get(p.id), outcome: outcomes.get(p.id) }));
  }, [program]);

  const columns: Column<PartnerRow>[] = useMemo(
    () => [
      { label: 'Partner', text: (r) => r.name },
      { label: 'Facilitators', text: (r) => count(r.facilitatorCount, min, down), sort: (r) => r.facilitatorCount, numeric: true },
      { label: 'Groups', text: (r) => count(r.groups, min, down), sort: (r) => r.groups, numeric: true },
      { label: 'Sessions held', text: (r) => count(r.sessionsHeld, min, down), sort: (r) => r.sessionsHeld, numeric: true },
      { label: 'Attendance', text: (r) => (r.participation ? String(r.participation.attendance) : down ? 'unavailable' : '0'), sort: (r) => r.participation?.attendance, numeric: true },
      { label: 'Per session', text: (r) => (r.participation?.averagePerSession == null ? '—' : r.participation.averagePerSession.toFixed(1)), sort: (r) => r.participation?.averagePerSession, numeric: true },
      { label: 'Members', text: (r) => (r.participation ? String(r.participation.members) : down ? 'unavailable' : '0'), sort: (r) => r.participation?.members, numeric: true },
      { label: 'Members at risk', text: (r) => (r.participation ? String(r.participation.membersAtRisk) : down ? 'unavailable' : '0'), sort: (r) => r.participation?.membersAtRisk, numeric: true },
      { label: 'Outcome responses', text: (r) => (r.outcome ? String(r.outcome.responseCount) : down ? 'unavailable' : 'no outcome polls'), sort: (r) => r.outcome?.responseCount, numeric: true },
      { label: 'Outcome average', text: (r) => (r.outcome ? decimal(r.outcome.averageRating, min) : down ? 'unavailable' : 'no outcome polls'), sort: (r) => r.outcome?.averageRating, numeric: true },
      { label: 'Feedback responses', text: (r) => count(r.feedbackResponseCount, min, down), sort: (r) => r.feedbackResponseCount, numeric: true },
    ],
    [min, down],
  );

  const stageRows = STAGES.map((stage) => ({ stage, communities: practice.nodes.filter((c) => c.maturityStage === stage) }));
  const chart = rows.map((r) => ({ name: r.name, sessionsHeld: r.sessionsHeld ?? 0 }));

  return (
    <section className="view" data-view="program-overview">
      <LivePanel programId={programId} />
      <h2>{program?.name ?? 'Program'} — this year</h2>
      <Problem error={partners.error} />
      {partners.fetching && !program ? <p className="muted">Loading the program…</p> : null}
      {program ? (
        <>
          <h3>Delivery partners</h3>
          <Table name="Delivery partners" columns={columns} rows={rows} rowKey={(r) => r.id} />
          <h3>Sessions held per partner</h3>
          <Bars label="Sessions held per partner" data={chart} x="name" slanted series={[{ key: 'sessionsHeld', name: 'Sessions held', colour: '#2b6cb0' }]} />
        </>
      ) : null}
      <AttendanceTrend programId={programId} />
      {program ? <Accreditation partners={program.deliveryPartners} /> : null}
      <Outcomes programId={programId} />

      <h3>Communities of practice by maturity stage</h3>
      <Problem error={practice.error} />
      <Bars
        label="Communities of practice by maturity stage"
        height={200}
        data={stageRows.map((r) => ({ stage: r.stage.toLowerCase(), communities: r.communities.length }))}
        x="stage"
        series={[{ key: 'communities', name: 'Communities', colour: '#805ad5' }]}
      />
      <Table
        name="Maturity stages"
        columns={[
          { label: 'Stage', text: (r: (typeof stageRows)[number]) => r.stage },
          { label: 'Communities', text: (r) => String(r.communities.length), sort: (r) => r.communities.length, numeric: true },
          { label: 'Which', text: (r) => r.communities.map((c) => c.name).join('; ') },
        ]}
        rows={stageRows}
        rowKey={(r) => r.stage}
        loading={practice.fetching && { total: practice.totalCount }}
      />
      <h3>Engagement overlaps</h3>
      <Problem error={overlaps.error} />
      {overlaps.data?.program ? <OverlapTable overlaps={overlaps.data.program.engagementOverlaps ?? []} /> : null}
    </section>
  );
}
