import 'reflect-metadata';

export * from './config';
export * from './count-by';
export * from './count-each';
export * from './database';
export * from './dates';
export * from './errors';
export * from './ids';
export * from './loaders';
export * from './logger';
export * from './paginate-each';
export * from './pagination';
export * from './ref-to';
export * from './schema';
export * from './subgraph';
export * from './transaction';
export * from './main';
