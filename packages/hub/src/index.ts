export * from './embedded-postgres';
export * from './hub';
export * from './demo-seed';
export * from './hub-keys';
export * from './demo-tokens';
