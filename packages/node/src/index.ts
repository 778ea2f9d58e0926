export * from './hold-only-organisation';
export * from './move-organisation';
export * from './node-config';
export * from './organisation-rows';
export * from './organisation-tables';
export * from './partner-node';
