export { createPartnersSubgraph, partnersDefinition } from './partners.subgraph';
export { Organisation, OrganisationKind } from './organisation.entity';
export { OrganisationRegion } from './organisation-region.entity';
export { Program } from './program.entity';
export { ProgramPartner } from './program-partner.entity';
export { Region, RegionLevel } from './region.entity';
export { PartnerHosting, PartnerNode, PartnerNodeStatus, PartnerSubgraph } from './partner-node.entity';
export { PartnerNodeChange } from './partner-node-change.entity';
