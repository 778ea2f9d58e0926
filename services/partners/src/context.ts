import type { RequestContext } from '@hub/core';
import type { PartnersLoaders } from './loaders';

export type PartnersContext = RequestContext<PartnersLoaders>;
