import type { RequestContext } from '@hub/core';
import type { FacilitatorsLoaders } from './loaders';

export type FacilitatorsContext = RequestContext<FacilitatorsLoaders>;
