import { askPartners, type AccessScope, type ScopeSigner } from '@hub/core';
import { LRUCache } from 'lru-cache';
import type { Claims } from './caller-tokens';

interface ProgramFacts {
  id: string;
  managingOrganisation: { id: string };
  sharingAgreements: {
    organisation: { id: string };
    shareFacilitatorContacts: boolean;
    shareSessionDetails: boolean;
    shareEngagementPlans: boolean;
  }[];
}

const PROGRAM_FIELDS = `id managingOrganisation { id }
  sharingAgreements { organisation { id } shareFacilitatorContacts shareSessionDetails shareEngagementPlans }`;

type View = Omit<AccessScope, 'role' | 'subject' | 'facilitator' | 'organisation'>;

/**
 * Works out what a caller may see from its claims and the program registry (the partners
 * subgraph): its programs, the organisations whose records it may read, and what each partner's
 * sharing agreement opens to a national manager. Answers are kept for a few seconds per
 * organisation and programs; any mutation through this gateway forgets them all, so a changed
 * sharing agreement applies to the next request.
 */
export class AccessScopes {
  private readonly cache: LRUCache<string, Promise<View>>;

  constructor(
    private readonly partnersUrl: () => string,
    private readonly signer: ScopeSigner,
    private readonly timeoutMs: number,
    ttlMs: number,
  ) {
    this.cache = new LRUCache({ max: 10000, ttl: Math.max(ttlMs, 1) });
  }

  async scopeOf(claims: Claims): Promise<AccessScope> {
    const key = JSON.stringify([claims.role, claims.organisation, claims.programs]);
    let view = this.cache.get(key);
    if (!view) {
      view = this.lookUp(claims);
      this.cache.set(key, view);
      view.catch(() => this.cache.delete(key));
    }
    return { role: claims.role, subject: claims.subject, organisation: claims.organisation, facilitator: claims.facilitator, ...(await view) };
  }

  clear(): void {
    this.cache.clear();
  }

  private async lookUp(claims: Claims): Promise<View> {
    // the programs the caller's organisation delivers, from the registry
    const ofOrganisation = new Map<string, ProgramFacts>();
    if (claims.organisation && claims.role !== 'national-manager') {
      const data = await this.ask<{ organisation: { programs: ProgramFacts[] } | null }>(
        `query HubAccessScope($org: ID!) { organisation(id: $org) { programs { ${PROGRAM_FIELDS} } } }`,
        { org: claims.organisation },
      );
      for (const p of data.organisation?.programs ?? []) ofOrganisation.set(p.id, p);
    }
    const named = (ids: string[]) => ids.map((id) => ofOrganisation.get(id)).filter((p): p is ProgramFacts => !!p);
    let mine: ProgramFacts[];
    if (claims.role === 'national-manager') {
      // the programs its token names that its organisation manages
      mine = (await this.programs(claims.programs)).filter((p) => p.managingOrganisation.id === claims.organisation);
    } else if (claims.role === 'participant' && !claims.organisation) {
      // a participant of no organisation: the programs its token names, as the issuer vouches
      mine = await this.programs(claims.programs);
    } else if (claims.role === 'participant') {
      // a participant of a partner: its programs, narrowed to those its token names if it names any
      mine = claims.programs.length ? named(claims.programs) : [...ofOrganisation.values()];
    } else {
      // a partner admin or facilitator: what its organisation delivers, whatever the token says
      mine = [...ofOrganisation.values()];
    }
    const organisations = new Set<string>(claims.organisation ? [claims.organisation] : []);
    const shares: AccessScope['shares'] = { contacts: [], sessions: [], engagements: [] };
    for (const p of mine) {
      organisations.add(p.managingOrganisation.id);
      if (claims.role !== 'national-manager') continue;
      for (const a of p.sharingAgreements) {
        organisations.add(a.organisation.id);
        if (a.shareFacilitatorContacts) shares.contacts.push(a.organisation.id);
        if (a.shareSessionDetails) shares.sessions.push(a.organisation.id);
        if (a.shareEngagementPlans) shares.engagements.push(a.organisation.id);
      }
    }
    const unique = (xs: string[]) => [...new Set(xs)].sort();
    return {
      programs: unique(mine.map((p) => p.id)),
      organisations: unique([...organisations]),
      shares: { contacts: unique(shares.contacts), sessions: unique(shares.sessions), engagements: unique(shares.engagements) },
    };
  }

  private async programs(ids: string[]): Promise<ProgramFacts[]> {
    if (!ids.length) return [];
    const aliases = ids.map((_, i) => `p${i}: program(id: $p${i}) { ${PROGRAM_FIELDS} }`).join('\n');
    const vars = ids.map((_, i) => `$p${i}: ID!`).join(', ');
    const data = await this.ask<Record<string, ProgramFacts | null>>(`query HubAccessPrograms(${vars}) { ${aliases} }`, Object.fromEntries(ids.map((id, i) => [`p${i}`, id])));
    return Object.values(data).filter((p): p is ProgramFacts => !!p);
  }

  private ask<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    return askPartners<T>(this.partnersUrl(), this.signer, this.timeoutMs, query, variables);
  }
}
