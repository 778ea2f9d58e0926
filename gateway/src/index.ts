export * from './config';
export * from './gateway';
export * from './subgraph-data-source';
export * from './compose';
export * from './partner-report';
export * from './subscription-plans';
export { AccessScopes } from './access-scopes';
export type { Claims } from './caller-tokens';
