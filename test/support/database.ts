import { randomBytes } from 'node:crypto';
import { DEV_APP_PASSWORD, dropDatabase, withAppRole, withDatabase, type SubgraphConfig, type SubgraphName } from '@hub/core';
import { TEST_GATEWAY_KEYS } from './scopes';

/** The request role tests use (created on the test server by the first subgraph that starts). */
export const TEST_APP_ROLE = { name: 'hub_app', password: DEV_APP_PASSWORD };

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
  const databaseUrl = withDatabase(testServerUrl(), `t_${tag}_${name}`);
  return {
    name,
    port: 0,
    host: '127.0.0.1',
    databaseUrl,
    appDatabaseUrl: withAppRole(databaseUrl, TEST_APP_ROLE),
    appRole: TEST_APP_ROLE,
    gatewayPublicKey: TEST_GATEWAY_KEYS.publicKey,
    poolSize: 5,
    migrate: true,
    logLevel: 'silent',
  };
}

export async function dropTestDatabases(...configs: SubgraphConfig[]): Promise<void> {
  await Promise.all(configs.map((c) => dropDatabase(c.databaseUrl)));
}
