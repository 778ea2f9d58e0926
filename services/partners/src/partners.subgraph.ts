import { createSubgraph, type Subgraph, type SubgraphConfig, type SubgraphDefinition } from '@hub/core';
import { createPartnersLoaders, type PartnersLoaders } from './loaders';
import { PartnersInitial1763800000000 } from './migrations/1763800000000-partners-initial';
import { PartnersRowSecurity1763900000000 } from './migrations/1763900000000-partners-row-security';
import { PartnerNodes1766000000000 } from './migrations/1766000000000-partner-nodes';
import { Organisation } from './organisation.entity';
import { OrganisationRegion } from './organisation-region.entity';
import { OrganisationResolver } from './organisation.resolver';
import { OrganisationHostingResolver, PartnerNodeResolver } from './partner-node.resolver';
import { PartnerNode } from './partner-node.entity';
import { PartnerNodeChange } from './partner-node-change.entity';
import { Program } from './program.entity';
import { ProgramPartner } from './program-partner.entity';
import { ProgramResolver, SharingAgreementResolver } from './program.resolver';
import { partnersReferences } from './references';
import { Region } from './region.entity';
import { RegionResolver } from './region.resolver';

/** The program registry: programs, organisations, regions, sharing agreements and where each organisation's records are hosted. */
export const partnersDefinition: SubgraphDefinition<PartnersLoaders> = {
  name: 'partners',
  resolvers: [ProgramResolver, SharingAgreementResolver, OrganisationResolver, RegionResolver, PartnerNodeResolver, OrganisationHostingResolver],
  referenceResolvers: partnersReferences,
  entities: [Region, Organisation, OrganisationRegion, Program, ProgramPartner, PartnerNode, PartnerNodeChange],
  migrations: [PartnersInitial1763800000000, PartnersRowSecurity1763900000000, PartnerNodes1766000000000],
  createLoaders: createPartnersLoaders,
};

export function createPartnersSubgraph(config: SubgraphConfig): Promise<Subgraph> {
  return createSubgraph(partnersDefinition, config);
}
