import 'reflect-metadata';

export * from './config';
export * from './database';
export * from './errors';
export * from './ids';
export * from './loaders';
export * from './logger';
export * from './pagination';
export * from './schema';
export * from './subgraph';
export * from './transaction';
export * from './main';
