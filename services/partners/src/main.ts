import { runSubgraphMain } from '@hub/core';
import { createPartnersSubgraph } from './partners.subgraph';

void runSubgraphMain('partners', createPartnersSubgraph);
