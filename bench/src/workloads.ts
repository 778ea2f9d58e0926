import type { TokenRequest } from '@hub/hub';
import { Pool } from 'pg';
import type { Dataset } from './generate';

export type WorkloadName = 'national' | 'partner' | 'list' | 'subgraphs' | 'memory' | 'checkin' | 'live' | 'fanout';
export const WORKLOAD_NAMES: WorkloadName[] = ['national', 'partner', 'list', 'subgraphs', 'memory', 'checkin', 'live', 'fanout'];
/** What `npm run bench` runs unless told otherwise (`fanout` starts partner nodes: ask for it). */
export const DEFAULT_WORKLOADS: WorkloadName[] = ['national', 'partner', 'list', 'subgraphs', 'memory', 'checkin', 'live'];

/** The workloads that POST one fixed query (the others have their own runners). */
export type QueryWorkloadName = 'national' | 'partner' | 'list' | 'fanout';

export interface Workload {
  name: QueryWorkloadName;
  title: string;
  caller: TokenRequest;
  query: string;
  variables: Record<string, unknown>;
}

export const NATIONAL_DASHBOARD = `query NationalDashboard($program: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
  program(id: $program) {
    name
    deliveryPartners {
      id
      name
      facilitatorCount(status: ACTIVE)
      groups: communityCount(kind: GROUP, programId: $program)
      sessionsHeld: sessionCount(from: $from, to: $to, status: ENDED, programId: $program)
      attendanceCount(from: $from, to: $to, programId: $program)
      feedbackResponseCount(from: $from, to: $to, programId: $program)
    }
  }
}`;

export const PARTNER_DASHBOARD = `query PartnerDashboard($org: ID!, $program: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
  organisation(id: $org) {
    name
    facilitatorCount(status: ACTIVE)
    groups: communityCount(kind: GROUP, programId: $program)
    sessionsHeld: sessionCount(from: $from, to: $to, status: ENDED, programId: $program)
    attendanceCount(from: $from, to: $to, programId: $program)
    feedbackResponseCount(from: $from, to: $to, programId: $program)
    communities(first: 25, filter: { kind: GROUP, programId: $program }) {
      totalCount
      nodes { id name sessionsHeld: sessionCount(status: ENDED) memberCount }
    }
  }
}`;

export const SESSION_LIST = `query SessionList($program: ID!) {
  sessions(filter: { programId: $program, status: ENDED }, first: 100) {
    totalCount
    nodes {
      id
      topic
      startsAt
      attendanceCount
      community { id name }
      facilitators { id displayName }
      polls(first: 2) { nodes { id kind results { responseCount suppressed averageRating } } }
    }
  }
}`;

export function workloads(dataset: Dataset): Record<QueryWorkloadName, Workload> {
  const period = { program: dataset.programId, from: dataset.from, to: dataset.to };
  const manager: TokenRequest = { role: 'national-manager', org: dataset.nationalId, programs: [dataset.programId] };
  const partner = dataset.partnerIds[0];
  return {
    national: {
      name: 'national',
      title: `National dashboard: ${dataset.partnerIds.length} delivery partners with 5 counts each, as the national manager`,
      caller: manager,
      query: NATIONAL_DASHBOARD,
      variables: period,
    },
    partner: {
      name: 'partner',
      title: `A partner's own dashboard: its 5 counts and its first 25 groups with their counts, as ${partner}'s admin`,
      caller: { role: 'partner-admin', org: partner, programs: [dataset.programId] },
      query: PARTNER_DASHBOARD,
      variables: { ...period, org: partner },
    },
    fanout: {
      name: 'fanout',
      title: `National dashboard as \`national\`, with the first delivery partners' records on their own partner nodes (\`--nodes\`, default 20): the gateway fans the entity fetches out across them`,
      caller: manager,
      query: NATIONAL_DASHBOARD,
      variables: period,
    },
    list: {
      name: 'list',
      title: '100 sessions held, each with its community, facilitators and polls with results, as the national manager',
      caller: manager,
      query: SESSION_LIST,
      variables: { program: dataset.programId },
    },
  };
}

export interface PartnerFigures {
  id: string;
  facilitatorCount: number;
  groups: number;
  sessionsHeld: number;
  attendanceCount: number;
  feedbackResponseCount: number;
}

type Rows = { id: string; n: number }[];

/**
 * The SQL floor of the national dashboard: the same numbers by SQL on each subgraph's own database
 * as its owner (no row-level security, no HTTP, no GraphQL), in the order the gateway's plan needs
 * them: the program's partners first, then the other three databases in parallel, each database's
 * statements one after another on one connection, as a subgraph runs a request's.
 */
export class NationalFloor {
  private readonly pools: Record<'partners' | 'facilitators' | 'sessions' | 'feedback', Pool>;

  constructor(databaseUrls: Record<'partners' | 'facilitators' | 'sessions' | 'feedback', string>) {
    const pool = (url: string) => new Pool({ connectionString: url, max: 1, application_name: 'hub-bench-floor' });
    this.pools = {
      partners: pool(databaseUrls.partners),
      facilitators: pool(databaseUrls.facilitators),
      sessions: pool(databaseUrls.sessions),
      feedback: pool(databaseUrls.feedback),
    };
  }

  async figures(dataset: Pick<Dataset, 'programId' | 'from' | 'to'>): Promise<PartnerFigures[]> {
    const { programId: p, from, to } = dataset;
    const partners = (
      await this.pools.partners.query<{ id: string }>(
        `SELECT o.id FROM program_partner pp JOIN organisation o ON o.id = pp.organisation_id WHERE pp.program_id = $1 ORDER BY o.id`,
        [p],
      )
    ).rows.map((r) => r.id);
    const [facilitators, [groups, held, attendance], responses] = await Promise.all([
      this.rows('facilitators', `SELECT organisation_id AS id, count(*)::int AS n FROM facilitator WHERE status = 'ACTIVE' AND organisation_id = ANY ($1) GROUP BY 1`, [partners]),
      this.pools.sessions.connect().then(async (c) => {
        try {
          const q = async (text: string, values: unknown[]) => (await c.query<{ id: string; n: number }>(text, values)).rows;
          return [
            await q(`SELECT organisation_id AS id, count(*)::int AS n FROM community WHERE kind = 'GROUP' AND program_id = $1 AND organisation_id = ANY ($2) GROUP BY 1`, [p, partners]),
            await q(
              `SELECT organisation_id AS id, count(*)::int AS n FROM session
               WHERE status = 'ENDED' AND program_id = $1 AND starts_at >= $2 AND starts_at < $3 AND organisation_id = ANY ($4) GROUP BY 1`,
              [p, from, to, partners],
            ),
            await q(
              `SELECT s.organisation_id AS id, sum(s.unidentified_attendees + (SELECT count(*) FROM attendance a WHERE a.session_id = s.id))::int AS n
               FROM session s WHERE s.program_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3 AND s.organisation_id = ANY ($4) GROUP BY 1`,
              [p, from, to, partners],
            ),
          ];
        } finally {
          c.release();
        }
      }),
      // answers to polls that reached the minimum group size (5) in the period
      this.rows(
        'feedback',
        `SELECT id, sum(n)::int AS n FROM (
           SELECT p.organisation_id AS id, p.id AS poll, count(*) AS n FROM response r JOIN poll p ON p.id = r.poll_id
           WHERE p.program_id = $1 AND p.organisation_id = ANY ($4) AND r.submitted_on >= $2::date AND r.submitted_on < $3::date GROUP BY 1, 2
         ) per_poll WHERE n >= 5 GROUP BY 1`,
        [p, from.slice(0, 10), to.slice(0, 10), partners],
      ),
    ]);
    const of = (rows: Rows, id: string) => rows.find((r) => r.id === id)?.n ?? 0;
    return partners.map((id) => ({
      id,
      facilitatorCount: of(facilitators, id),
      groups: of(groups, id),
      sessionsHeld: of(held, id),
      attendanceCount: of(attendance, id),
      feedbackResponseCount: of(responses, id),
    }));
  }

  private async rows(db: 'facilitators' | 'feedback', text: string, values: unknown[]): Promise<Rows> {
    return (await this.pools[db].query<{ id: string; n: number }>(text, values)).rows;
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.pools).map((p) => p.end()));
  }
}

/** The hub's answer to the national dashboard, in the floor's shape (by partner ID). */
export function hubFigures(data: { program: { deliveryPartners: (PartnerFigures & { name: string })[] } }): PartnerFigures[] {
  return data.program.deliveryPartners
    .map(({ id, facilitatorCount, groups, sessionsHeld, attendanceCount, feedbackResponseCount }) => ({ id, facilitatorCount, groups, sessionsHeld, attendanceCount, feedbackResponseCount }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
