import { randomBytes } from 'node:crypto';
import { dropDatabase, withDatabase, type SubgraphConfig, type SubgraphName } from '@hub/core';

/** The PostgreSQL server of this test run (set by globalSetup). */
export function testServerUrl(): string {
  const url = process.env.TEST_DATABASE_SERVER ?? process.env.DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_SERVER is not set: run the tests with `npm test`');
  return url;
}

/**
 * A config for one subgraph on a fresh, uniquely named database (created and migrated by the
 * subgraph factory). Call `dropTestDatabases` in afterAll.
 */
export function testSubgraphConfig(name: SubgraphName, tag = randomBytes(4).toString('hex')): SubgraphConfig {
  return {
    name,
    port: 0,
    host: '127.0.0.1',
    databaseUrl: withDatabase(testServerUrl(), `t_${tag}_${name}`),
    poolSize: 5,
    migrate: true,
    logLevel: 'silent',
  };
}

export async function dropTestDatabases(...configs: SubgraphConfig[]): Promise<void> {
  await Promise.all(configs.map((c) => dropDatabase(c.databaseUrl)));
}
