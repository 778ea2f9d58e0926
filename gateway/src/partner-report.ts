import type { ApolloServer, GraphQLResponse } from '@apollo/server';
import { isDay, type ScopeSigner } from '@hub/core';
import { stringify } from 'csv-stringify/sync';
import type { Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { AccessScopes } from './access-scopes';
import type { CallerTokens } from './caller-tokens';
import type { GatewayContext } from './gateway-context';

/**
 * The columns of the partner report, in order. The layout is documented in the README
 * ("Report once"); change it only together with that table.
 */
export const PARTNER_REPORT_COLUMNS = [
  'organisation_id',
  'program_id',
  'community_id',
  'community_name',
  'community_kind',
  'session_id',
  'session_date',
  'start_time_utc',
  'end_time_utc',
  'duration_minutes',
  'topic',
  'mode',
  'status',
  'facilitator_count',
  'attendance_identified',
  'attendance_unidentified',
  'attendance_total',
  'outcome_responses',
  'outcome_average',
] as const;

const SESSIONS = `query PartnerReport($org: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $after: String) {
  sessions(filter: { organisationId: $org, from: $from, to: $to, status: ENDED }, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id topic startsAt endsAt mode status unidentifiedAttendees attendanceCount
      program { id }
      facilitators { id }
      community { id name kind }
    }
  }
}`;

/** Outcome polls are read apart from the sessions: one deep query would cost more than the operation limit allows. */
const OUTCOMES = `query PartnerOutcomes($org: ID!, $after: String) {
  polls(filter: { organisationId: $org, kind: OUTCOME }, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { session { id } results { responseCount averageRating suppressed } }
  }
}`;

interface SessionRow {
  id: string;
  topic: string;
  startsAt: string;
  endsAt: string;
  mode: string;
  status: string;
  unidentifiedAttendees: number;
  attendanceCount: number;
  program: { id: string } | null;
  facilitators: unknown[] | null;
  community: { id: string; name: string; kind: string };
}

interface Results {
  responseCount: number | null;
  averageRating: number | null;
  suppressed: boolean;
}

interface Page<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: T[];
}

class ReportError extends Error {
  constructor(
    readonly status: number,
    readonly body: { message: string; extensions: Record<string, unknown> },
  ) {
    super(body.message);
  }
}

const badParameter = (field: string, message: string) =>
  new ReportError(400, { message: `${field}: ${message}`, extensions: { code: 'BAD_USER_INPUT', fields: [{ field, message }] } });

/** Outcome ratings of a session's OUTCOME polls: answers counted and averaged over what may be shown. */
function outcomes(results: Results[]): { responses: number | ''; average: number | '' } {
  const shown = results.filter((r) => !r.suppressed && r.responseCount !== null);
  const responses = shown.reduce((n, r) => n + (r.responseCount ?? 0), 0);
  const rated = shown.filter((r) => r.averageRating !== null);
  const weight = rated.reduce((n, r) => n + (r.responseCount ?? 0), 0);
  const average = weight ? Math.round((rated.reduce((s, r) => s + (r.averageRating ?? 0) * (r.responseCount ?? 0), 0) / weight) * 100) / 100 : '';
  return { responses: shown.length ? responses : '', average };
}

function rowOf(organisationId: string, s: SessionRow, results: Results[]): (string | number)[] {
  const start = new Date(s.startsAt);
  const end = new Date(s.endsAt);
  const outcome = outcomes(results);
  return [
    organisationId,
    s.program?.id ?? '',
    s.community.id,
    s.community.name,
    s.community.kind,
    s.id,
    s.startsAt.slice(0, 10),
    s.startsAt.slice(11, 16),
    s.endsAt.slice(11, 16),
    Math.round((end.getTime() - start.getTime()) / 60000),
    s.topic,
    s.mode,
    s.status,
    s.facilitators?.length ?? '',
    s.attendanceCount - s.unidentifiedAttendees,
    s.unidentifiedAttendees,
    s.attendanceCount,
    outcome.responses,
    outcome.average,
  ];
}

/**
 * `GET /export/partner-report.csv?from=YYYY-MM-DD&to=YYYY-MM-DD`: a delivery partner's sessions
 * held in a reporting period (both days included), with attendance and outcome ratings, in the
 * documented CSV layout — "report once": what the hub already holds, ready for a funder's upload.
 * It runs one federated query through the gateway itself, as the signed-in caller, so the
 * caller's access rules and the suppression of small groups apply as to any query.
 */
export function partnerReportHandler(server: ApolloServer<GatewayContext>, callers: CallerTokens, scopes: AccessScopes, signer: ScopeSigner) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const scope = await scopes.scopeOf(await callers.verify(req.headers.authorization));
      if (!(scope.role === 'partner-admin' || scope.role === 'national-manager') || !scope.organisation) {
        throw new ReportError(403, { message: "Only an organisation's administrators export its report", extensions: { code: 'FORBIDDEN' } });
      }
      const from = String(req.query.from ?? '');
      const to = String(req.query.to ?? '');
      if (!isDay(from)) throw badParameter('from', 'must be a day, YYYY-MM-DD');
      if (!isDay(to)) throw badParameter('to', 'must be a day, YYYY-MM-DD');
      if (to < from) throw badParameter('to', 'must not be before from');
      const organisationId = scope.organisation;
      const until = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString();
      const contextValue: GatewayContext = { scope, scopeToken: await signer.sign(scope) };

      // every page of a connection, through the gateway, as the caller
      const all = async <T>(query: string, field: string, variables: Record<string, unknown>): Promise<T[]> => {
        const nodes: T[] = [];
        let after: string | null = null;
        do {
          const response: GraphQLResponse = await server.executeOperation({ query, variables: { ...variables, after } }, { contextValue });
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const page = (result?.data as Record<string, Page<T>> | null | undefined)?.[field];
          if (!page || result?.errors?.length) {
            const first = result?.errors?.[0];
            throw new ReportError(first?.extensions?.code === 'SUBGRAPH_UNAVAILABLE' ? 503 : 500, {
              message: first?.message ?? 'The report could not be made',
              extensions: { code: String(first?.extensions?.code ?? 'INTERNAL_SERVER_ERROR') },
            });
          }
          nodes.push(...page.nodes);
          after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        } while (after);
        return nodes;
      };
      const [sessions, polls] = await Promise.all([
        all<SessionRow>(SESSIONS, 'sessions', { org: organisationId, from: `${from}T00:00:00.000Z`, to: until }),
        all<{ session: { id: string } | null; results: Results }>(OUTCOMES, 'polls', { org: organisationId }),
      ]);
      const outcomesOf = new Map<string, Results[]>();
      for (const p of polls) if (p.session) outcomesOf.set(p.session.id, [...(outcomesOf.get(p.session.id) ?? []), p.results]);
      const rows = sessions.map((s) => rowOf(organisationId, s, outcomesOf.get(s.id) ?? []));

      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="${organisationId}-sessions-${from}-to-${to}.csv"`);
      res.send(stringify([[...PARTNER_REPORT_COLUMNS], ...rows]));
    } catch (error) {
      if (error instanceof ReportError) {
        res.status(error.status).json({ errors: [error.body] });
      } else if (error instanceof GraphQLError) {
        const status = (error.extensions?.http as { status?: number } | undefined)?.status ?? 401;
        res.status(status).json({ errors: [{ message: error.message, extensions: { code: error.extensions?.code } }] });
      } else {
        res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      }
    }
  };
}
