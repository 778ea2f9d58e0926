import { mayManage, mayRead, readableOrganisations, notFound, ownerOf, seesDetail, type AccessScope, type Page } from '@hub/core';
import type { TrainingCourse } from './training-course.entity';

/*
 * The first wall of this subgraph (docs/access.md): what a caller may read and change here.
 * Row-level security (the migration `FacilitatorsRowSecurity`) enforces the tenant wall again
 * below these checks; each check here stands on its own.
 */

/**
 * Organisations whose facilitator records (facilitators, training records, memberships) the
 * caller may read: `null` for the system scope (all of them), none for a participant.
 */
export function facilitatorOrganisations(scope: AccessScope): string[] | null {
  return scope.role === 'participant' ? [] : readableOrganisations(scope);
}

/** May the caller read the facilitator records owned by `organisation`? */
export function mayReadFacilitatorsOf(scope: AccessScope, organisation: string | null): boolean {
  if (organisation === null) return false;
  return scope.role !== 'participant' && mayRead(scope, organisation);
}

/** Counts of facilitators and members are aggregates: within the wall, participants included. */
export function mayCountFacilitatorsOf(scope: AccessScope, organisation: string): boolean {
  return mayRead(scope, organisation);
}

/** A training course is the program's catalogue: read by the program's members and within the wall. */
export function mayReadCourse(scope: AccessScope, course: Pick<TrainingCourse, 'programId' | 'organisationId'>): boolean {
  return scope.role === 'system' || scope.programs.includes(course.programId) || scope.organisations.includes(course.organisationId);
}

/**
 * Whose names and contacts the caller may see: the person itself, its organisation's
 * administrators, a national manager when the organisation's sharing agreement opens contacts.
 */
export interface NameVisibility {
  /** Every name (the system scope). */
  all: boolean;
  /** Organisations all of whose facilitators' names the caller sees. */
  organisations: string[];
  /** The caller's own facilitator record. */
  self: string | null;
}

export function nameVisibility(scope: AccessScope): NameVisibility {
  if (scope.role === 'system') return { all: true, organisations: [], self: null };
  const organisations = new Set<string>();
  if (scope.organisation && mayManage(scope, scope.organisation)) organisations.add(scope.organisation);
  if (scope.role === 'national-manager') {
    for (const o of scope.shares.contacts) if (seesDetail(scope, o, 'contacts')) organisations.add(o);
  }
  return { all: false, organisations: [...organisations].sort(), self: scope.facilitator };
}

/** May the caller see this facilitator's names and contacts? */
export function seesPerson(scope: AccessScope, facilitator: { id: string; organisationId: string }): boolean {
  if (scope.facilitator !== null && scope.facilitator === facilitator.id) return true;
  return seesDetail(scope, facilitator.organisationId, 'contacts');
}

/**
 * Before touching a facilitator record by ID: NOT_FOUND on `field` when its owner is outside the
 * caller's wall (as if absent); returns the owner.
 */
export function visibleOwner(scope: AccessScope, id: string, typeName: string, field: string): string {
  const owner = ownerOf(id);
  if (!mayReadFacilitatorsOf(scope, owner)) throw notFound(typeName, id, field);
  return owner as string;
}

/** A page of a list the caller may see nothing of: as if it were empty. */
export function emptyPage<T>(): Page<T> {
  return { nodes: [], cursors: [], hasNextPage: false, totalCount: () => Promise.resolve(0) };
}
