import type { RequestContext } from '@hub/core';
import type { FeedbackLoaders } from './loaders';

export type FeedbackContext = RequestContext<FeedbackLoaders>;
