import { GraphQLError } from 'graphql';
import type { HeldElsewhere } from './held-elsewhere';

/** Who is asking (DESIGN.md "Access"). `system` is the hub itself: the gateway's own lookups, seeds. */
export const ROLES = ['national-manager', 'partner-admin', 'facilitator', 'participant'] as const;
export type UserRole = (typeof ROLES)[number];
export type Role = UserRole | 'system';

/** The kinds of identifying detail an organisation's sharing agreement may open to the national manager. */
export type SharedDetail = 'contacts' | 'sessions' | 'engagements';

/**
 * What a caller may see and change, worked out once per request by the gateway from the verified
 * token and the sharing agreements, and handed to every subgraph signed (see internal-token.ts).
 * Subgraphs enforce it in their resolvers and, as the second wall, through row-level security.
 */
export interface AccessScope {
  role: Role;
  /** The token's subject: a person, or a participant's pseudonymous ID. */
  subject: string;
  /** The caller's own organisation (none for a participant without one). */
  organisation: string | null;
  /** The caller's facilitator record (facilitator role). */
  facilitator: string | null;
  /** Programs the caller belongs to. */
  programs: string[];
  /**
   * Organisations whose records the caller may read: its own, the managing organisations of its
   * programs (whose communities and polls are the program's shared spaces) and, for a national
   * manager, every delivery partner of its programs.
   */
  organisations: string[];
  /** Per kind of identifying detail, the organisations whose sharing agreement opens it to this caller. */
  shares: Record<SharedDetail, string[]>;
  /** Records other deployments hold that this request refers to, read for this caller by a gateway routing to partner nodes and signed into the request's extensions (held-elsewhere.ts); never part of the signed scope itself. */
  elsewhere?: HeldElsewhere;
}

export const SYSTEM_SCOPE: AccessScope = Object.freeze({
  role: 'system',
  subject: 'hub',
  organisation: null,
  facilitator: null,
  programs: [],
  organisations: [],
  shares: { contacts: [], sessions: [], engagements: [] },
}) as AccessScope;

/** FORBIDDEN, naming the input field when there is one; `status` when the whole HTTP request is refused. */
export function forbidden(message: string, field?: string, status?: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'FORBIDDEN',
      ...(field ? { fields: [{ field, message: 'not allowed for this caller' }] } : {}),
      ...(status ? { http: { status } } : {}),
    },
  });
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** May the caller read records owned by `organisation`? (The tenant wall; RLS enforces the same.) */
export function mayRead(scope: AccessScope, organisation: string): boolean {
  return scope.role === 'system' || scope.organisations.includes(organisation);
}

/** Organisations whose records the caller may read, or null for the system scope (all of them). */
export function readableOrganisations(scope: AccessScope): string[] | null {
  return scope.role === 'system' ? null : scope.organisations;
}

/** Administrators (a partner admin, a national manager for its own organisation) manage their organisation's records. */
export function mayManage(scope: AccessScope, organisation: string): boolean {
  if (scope.role === 'system') return true;
  return (scope.role === 'partner-admin' || scope.role === 'national-manager') && scope.organisation === organisation;
}

/** Program-level records (the program, its training catalogue, its partners) belong to its national manager. */
export function mayManageProgram(scope: AccessScope, programId: string): boolean {
  return scope.role === 'system' || (scope.role === 'national-manager' && scope.programs.includes(programId));
}

/**
 * May the caller see identifying detail (names and contacts, who came to a session, engagement
 * plans) of `organisation`'s records? Its own administrators may; a national manager may when the
 * organisation's sharing agreement opens that kind of detail.
 */
export function seesDetail(scope: AccessScope, organisation: string, detail: SharedDetail): boolean {
  if (mayManage(scope, organisation)) return true;
  return scope.role === 'national-manager' && scope.shares[detail].includes(organisation);
}

/**
 * Organisations whose rows a caller's transaction may write (RLS `WITH CHECK`): its own, for
 * those who work for it. A participant writes only what is its own (its RSVPs, its check-ins, its
 * anonymous answers), which each table's policy allows by the caller's subject or the poll.
 */
export function writableOrganisations(scope: AccessScope): string[] {
  if (scope.role === 'participant') return [];
  return scope.organisation ? [scope.organisation] : [];
}

/** Throws FORBIDDEN, naming the input field, unless the caller manages `organisation`. */
export function assertManage(scope: AccessScope, organisation: string, field: string): void {
  if (!mayManage(scope, organisation)) throw forbidden(`Only ${organisation}'s administrators may do this`, field);
}

export function assertManageProgram(scope: AccessScope, programId: string, field: string): void {
  if (!mayManageProgram(scope, programId)) throw forbidden(`Only the national manager of ${programId} may do this`, field);
}

/** Throws FORBIDDEN unless the caller has one of `roles`. */
export function assertRole(scope: AccessScope, roles: readonly Role[], what: string): void {
  if (scope.role !== 'system' && !roles.includes(scope.role)) throw forbidden(`A ${scope.role} may not ${what}`);
}
