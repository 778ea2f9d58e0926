export * from './embedded-postgres';
export * from './hub';
