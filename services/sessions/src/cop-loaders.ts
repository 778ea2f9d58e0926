import { countEach, isTimeAndId, paginateEach, type AccessScope, type KeysetOrder, withinWall } from '@hub/core';
import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { CommunityDocument, CommunityDocumentKind } from './community-document.entity';
import { CommunityResource } from './community-resource.entity';
import { SessionLearning } from './session-learning.entity';

/** A community's documents, newest version first. */
export const DOCUMENT_ORDER: KeysetOrder<CommunityDocument> = {
  columns: ['doc.changed_at', 'doc.version', 'doc.id'],
  values: (d) => [d.changedAt.toISOString(), d.version, d.id],
  direction: 'DESC',
  accepts: (v) => isTimeAndId([v[0], v[2]]) && Number.isInteger(v[1]),
};

/** A session's learnings in the order they were recorded. */
export const LEARNING_ORDER: KeysetOrder<SessionLearning> = {
  columns: ['learning.recorded_at', 'learning.id'],
  values: (l) => [l.recordedAt.toISOString(), l.id],
  accepts: isTimeAndId,
};

/** A community's resources, newest first. */
export const RESOURCE_ORDER: KeysetOrder<CommunityResource> = {
  columns: ['resource.shared_at', 'resource.id'],
  values: (r) => [r.sharedAt.toISOString(), r.id],
  direction: 'DESC',
  accepts: isTimeAndId,
};

export interface DocumentCriteria {
  kind?: CommunityDocumentKind | null;
}

/**
 * Resources are read where the sharer's organisation or the community's is within the caller's
 * wall: a community (a national CoP above all) is the shared space of everyone who can read it.
 */
export function resourcesWithinWall<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, scope: AccessScope): SelectQueryBuilder<T> {
  if (scope.role === 'system') return qb;
  return qb.andWhere('(resource.organisation_id = ANY (:wallOrganisations) OR resource.community_organisation_id = ANY (:wallOrganisations))', {
    wallOrganisations: scope.organisations,
  });
}

/** Loaders of co-design and structure: documents, learnings and resources, one statement per list per request. */
export function createCopLoaders(ds: EntityManager, scope: AccessScope) {
  const documents = () => withinWall(ds.getRepository(CommunityDocument).createQueryBuilder('doc'), scope, 'doc.organisation_id');
  const learnings = () => withinWall(ds.getRepository(SessionLearning).createQueryBuilder('learning'), scope, 'learning.organisation_id');
  const resources = () => resourcesWithinWall(ds.getRepository(CommunityResource).createQueryBuilder('resource'), scope);
  const documentsBy = {
    parent: 'doc.community_id',
    query: (ids: string[], c: DocumentCriteria) => {
      const qb = documents().andWhere('doc.community_id IN (:...ids)', { ids });
      return c.kind ? qb.andWhere('doc.kind = :kind', { kind: c.kind }) : qb;
    },
  };
  const learningsBy = { parent: 'learning.session_id', query: (ids: string[]) => learnings().andWhere('learning.session_id IN (:...ids)', { ids }) };
  const resourcesBy = { parent: 'resource.community_id', query: (ids: string[]) => resources().andWhere('resource.community_id IN (:...ids)', { ids }) };
  const documentCountOfCommunity = countEach(documentsBy);
  const learningCountOfSession = countEach<Record<string, never>>(learningsBy);
  const resourceCountOfCommunity = countEach<Record<string, never>>(resourcesBy);
  return {
    documentsOfCommunity: paginateEach<DocumentCriteria, CommunityDocument>({
      ...documentsBy,
      order: DOCUMENT_ORDER,
      count: (id, c) => documentCountOfCommunity.load({ id, filter: c }),
    }),
    learningsOfSession: paginateEach<Record<string, never>, SessionLearning>({
      ...learningsBy,
      order: LEARNING_ORDER,
      count: (id) => learningCountOfSession.load({ id, filter: {} }),
    }),
    resourcesOfCommunity: paginateEach<Record<string, never>, CommunityResource>({
      ...resourcesBy,
      order: RESOURCE_ORDER,
      count: (id) => resourceCountOfCommunity.load({ id, filter: {} }),
    }),
  };
}

export type CopLoaders = ReturnType<typeof createCopLoaders>;
