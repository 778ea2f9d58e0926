import type { RequestContext } from '@hub/core';
import type { SessionsLoaders } from './loaders';

export type SessionsContext = RequestContext<SessionsLoaders>;
