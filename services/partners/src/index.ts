export { createPartnersSubgraph, partnersDefinition } from './partners.subgraph';
export { Organisation, OrganisationKind } from './organisation.entity';
export { OrganisationRegion } from './organisation-region.entity';
export { Program } from './program.entity';
export { ProgramPartner } from './program-partner.entity';
export { Region, RegionLevel } from './region.entity';
