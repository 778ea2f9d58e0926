export * from './hold-only-organisation';
export * from './node-config';
export * from './organisation-tables';
export * from './partner-node';
export * from './organisation-rows';
