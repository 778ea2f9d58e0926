import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useQuery } from 'urql';
import { count, decimal, thisYear, unavailableServices } from './format';
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

const STRUCTURE = `query DashboardStructure($p: ID!) {
  program(id: $p) {
    id
    communities(first: 100, filter: { kind: COMMUNITY_OF_PRACTICE }) { nodes { id name maturityStage assessedMaturityStage memberCount organisation { id name } } }
    forumSummary { tier tierLevel openItems responses averageDaysToResponse }
    engagementOverlaps { id organisations { id name } regions { id name } audiences startsOn endsOn }
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
  const [structure] = useQuery({ query: STRUCTURE, variables: { p: programId } });
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

  const s = structure.data?.program;
  const cops: { id: string; name: string; maturityStage: string; assessedMaturityStage: string | null; memberCount: number | null; organisation: { name: string } | null }[] = s?.communities?.nodes ?? [];
  const stageRows = STAGES.map((stage) => ({ stage, communities: cops.filter((c) => c.maturityStage === stage) }));
  const chart = rows.map((r) => ({ name: r.name, sessionsHeld: r.sessionsHeld ?? 0 }));

  return (
    <section className="view" data-view="program-overview">
      <h2>{program?.name ?? 'Program'} — this year</h2>
      <Problem error={partners.error} />
      {partners.fetching && !program ? <p className="muted">Loading the program…</p> : null}
      {program ? (
        <>
          <h3>Delivery partners</h3>
          <Table name="Delivery partners" columns={columns} rows={rows} rowKey={(r) => r.id} />
          <h3>Sessions held per partner</h3>
          <div className="chart" aria-label="Sessions held per partner">
            <ResponsiveContainer width="100%" height={280}>
              <BarChart data={chart} margin={{ top: 8, right: 16, bottom: 64, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="name" angle={-25} textAnchor="end" interval={0} height={70} fontSize={12} />
                <YAxis allowDecimals={false} />
                <Tooltip />
                <Bar dataKey="sessionsHeld" name="Sessions held" fill="#2b6cb0" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </>
      ) : null}

      <Problem error={structure.error} />
      {s ? (
        <>
          <h3>Communities of practice by maturity stage</h3>
          <Table
            name="Maturity stages"
            columns={[
              { label: 'Stage', text: (r: (typeof stageRows)[number]) => r.stage },
              { label: 'Communities', text: (r) => String(r.communities.length), sort: (r) => r.communities.length, numeric: true },
              { label: 'Which', text: (r) => r.communities.map((c) => c.name).join('; ') },
            ]}
            rows={stageRows}
            rowKey={(r) => r.stage}
          />
          <h3>Forum items per tier</h3>
          <Table
            name="Forum tiers"
            columns={[
              { label: 'Tier', text: (r: ForumTier) => r.tier ?? '' },
              { label: 'Level', text: (r) => (r.tierLevel == null ? '' : String(r.tierLevel)), sort: (r) => r.tierLevel, numeric: true },
              { label: 'Open items', text: (r) => String(r.openItems), sort: (r) => r.openItems, numeric: true },
              { label: 'Responses', text: (r) => String(r.responses), sort: (r) => r.responses, numeric: true },
              { label: 'Average days to response', text: (r) => (r.averageDaysToResponse == null ? 'no response yet' : r.averageDaysToResponse.toFixed(1)), sort: (r) => r.averageDaysToResponse, numeric: true },
            ]}
            rows={(s.forumSummary ?? []) as ForumTier[]}
            rowKey={(r, i) => `${r.tier}-${i}`}
          />
          <h3>Engagement overlaps</h3>
          <OverlapTable overlaps={s.engagementOverlaps ?? []} />
        </>
      ) : null}
    </section>
  );
}

interface ForumTier {
  tier: string | null;
  tierLevel: number | null;
  openItems: number;
  responses: number;
  averageDaysToResponse: number | null;
}

export interface Overlap {
  id: string;
  organisations: ({ id: string; name: string } | null)[];
  regions: { id: string; name: string }[];
  audiences: string[] | null;
  startsOn: string;
  endsOn: string;
}

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
