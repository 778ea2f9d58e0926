import { runSubgraphMain } from '@hub/core';
import { createFacilitatorsSubgraph } from './facilitators.subgraph';

void runSubgraphMain('facilitators', createFacilitatorsSubgraph);
