import { runSubgraphMain } from '@hub/core';
import { createSessionsSubgraph } from './sessions.subgraph';

void runSubgraphMain('sessions', createSessionsSubgraph);
