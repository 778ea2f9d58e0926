import { loaderById, loaderGrouped } from '@hub/core';
import { In, type EntityManager } from 'typeorm';
import { Organisation } from './organisation.entity';
import { OrganisationRegion } from './organisation-region.entity';
import { PartnerNode } from './partner-node.entity';
import { PartnerNodeChange } from './partner-node-change.entity';
import { Program } from './program.entity';
import { ProgramPartner } from './program-partner.entity';
import { Region } from './region.entity';

/** Per-request loaders of the partners subgraph: one query per relation per request. */
export function createPartnersLoaders(ds: EntityManager) {
  return {
    region: loaderById((ids: readonly string[]) => ds.getRepository(Region).findBy({ id: In([...ids]) }), (r) => r.id),
    regionChildren: loaderGrouped(
      (ids: readonly string[]) => ds.getRepository(Region).find({ where: { parentId: In([...ids]) }, order: { name: 'ASC' } }),
      (r) => r.parentId as string,
    ),
    organisation: loaderById(
      (ids: readonly string[]) => ds.getRepository(Organisation).findBy({ id: In([...ids]) }),
      (o) => o.id,
    ),
    organisationRegions: loaderGrouped(
      async (ids: readonly string[]) =>
        ds
          .getRepository(OrganisationRegion)
          .createQueryBuilder('link')
          .innerJoinAndMapOne('link.region', Region, 'region', 'region.id = link.regionId')
          .where('link.organisationId IN (:...ids)', { ids })
          .orderBy('region.name')
          .getMany() as Promise<(OrganisationRegion & { region: Region })[]>,
      (link) => link.organisationId,
    ),
    program: loaderById((ids: readonly string[]) => ds.getRepository(Program).findBy({ id: In([...ids]) }), (p) => p.id),
    partnersOfProgram: loaderGrouped(
      (ids: readonly string[]) => ds.getRepository(ProgramPartner).find({ where: { programId: In([...ids]) }, order: { organisationId: 'ASC' } }),
      (p) => p.programId,
    ),
    programsOfOrganisation: loaderGrouped(
      (ids: readonly string[]) => ds.getRepository(ProgramPartner).find({ where: { organisationId: In([...ids]) }, order: { programId: 'ASC' } }),
      (p) => p.organisationId,
    ),
    partnerNode: loaderById((ids: readonly string[]) => ds.getRepository(PartnerNode).findBy({ organisationId: In([...ids]) }), (n) => n.organisationId),
    partnerNodeChanges: loaderGrouped(
      (ids: readonly string[]) => ds.getRepository(PartnerNodeChange).find({ where: { organisationId: In([...ids]) }, order: { changedAt: 'ASC', id: 'ASC' } }),
      (c) => c.organisationId,
    ),
  };
}

export type PartnersLoaders = ReturnType<typeof createPartnersLoaders>;
