import { runSubgraphMain } from '@hub/core';
import { createFeedbackSubgraph } from './feedback.subgraph';

void runSubgraphMain('feedback', createFeedbackSubgraph);
